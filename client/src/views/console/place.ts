/**
 * A translated text with some placeholders left unfilled by t() and put here as nodes (a name in
 * bold, a name only read out): each keeps the place the translation gives it, so word order stays
 * the language's.
 * @example place(t('{actor} muted {target}'), { actor: h('strong', null, 'Fran'), target: 'Ana' })
 */
export function place(text: string, nodes: Record<string, Node | string>): (Node | string)[] {
  return text.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? (nodes[part] ?? `{${part}}`) : part));
}
