/** Someone shown by display name. */
export type Named = { id: string; name: string };

/** Names that look the same to a reader: case, spacing and compatibility forms do not tell people apart. */
export function nameKey(name: string): string {
  return name.normalize('NFKC').toLocaleLowerCase().replace(/\s+/gu, '');
}

/**
 * Labels for the people of one context (a room, a picker): a name shared by two or more of them
 * gets " · #" and the end of each one's user id. The id, not a counter or join order, so the
 * same person keeps the same tag on every page and after a reload; ids are not secret here (the
 * console shows them). Four characters usually differ; the tags grow until they all do.
 */
export function distinctNames(people: Iterable<Named>): Map<string, string> {
  const byKey = new Map<string, Named[]>();
  const unique = new Map<string, Named>();
  for (const p of people) unique.set(p.id, p);
  for (const p of unique.values()) {
    const key = nameKey(p.name);
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  const labels = new Map<string, string>();
  for (const same of byKey.values()) {
    if (same.length === 1) {
      labels.set(same[0]!.id, same[0]!.name);
      continue;
    }
    let size = 4;
    const longest = Math.max(...same.map((p) => p.id.length));
    while (size < longest && new Set(same.map((p) => p.id.slice(-size))).size < same.length) size++;
    for (const p of same) labels.set(p.id, `${p.name} · #${p.id.slice(-size)}`);
  }
  return labels;
}

/** A labeller over `distinctNames`' answer; someone not in it keeps their name. */
export function labelsOf(labels: Map<string, string>): (p: Named) => string {
  return (p) => labels.get(p.id) ?? p.name;
}

/** The people seen in one context so far, with their labels kept up to date as people come. */
export class NameBook {
  private readonly people = new Map<string, string>();
  private labels = new Map<string, string>();

  /** Adds or renames people; true when any label changed (already shown names need redrawing). */
  add(people: Iterable<Named>): boolean {
    let changed = false;
    for (const p of people) {
      if (this.people.get(p.id) === p.name) continue;
      this.people.set(p.id, p.name);
      changed = true;
    }
    if (!changed) return false;
    const before = this.labels;
    this.labels = distinctNames([...this.people].map(([id, name]) => ({ id, name })));
    return [...this.labels].some(([id, label]) => before.get(id) !== undefined && before.get(id) !== label);
  }

  label(p: Named): string {
    return this.labels.get(p.id) ?? p.name;
  }
}
