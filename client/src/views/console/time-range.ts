/**
 * The epoch-ms range two datetime-local fields give (an empty field: no bound). A minute's field
 * covers its whole minute: "to 10:05" includes 10:05:59.
 */
export function minuteRange(fromInput: HTMLInputElement, toInput: HTMLInputElement): { from?: number; to?: number } {
  const at = (input: HTMLInputElement, end: boolean) => {
    const ms = input.value ? new Date(input.value).getTime() : NaN;
    return Number.isNaN(ms) ? undefined : end ? ms + 59_999 : ms;
  };
  return { from: at(fromInput, false), to: at(toInput, true) };
}
