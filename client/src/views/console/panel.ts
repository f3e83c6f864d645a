/** One part of the console on screen; disposed when another section opens or the page is left. */
export interface Panel {
  readonly el: HTMLElement;
  dispose(): void;
}
