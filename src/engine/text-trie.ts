/**
 * LIKE prefixes (or suffixes) filed character by character, so looking a value up costs one step per
 * character the value shares with some key, and allocates nothing: the value is never sliced, whatever
 * the number of distinct key lengths.
 */
interface TrieNode<T> {
  readonly children: Map<number, TrieNode<T>>;
  /** The entries whose key ends here. */
  readonly entries: T[];
}

function emptyNode<T>(): TrieNode<T> {
  return { children: new Map(), entries: [] };
}

export class TextTrie<T> {
  private readonly root: TrieNode<T> = emptyNode();
  private count = 0;

  /** `fromEnd`: keys are suffixes, read from the last character backwards. */
  constructor(private readonly fromEnd: boolean) {}

  get size(): number {
    return this.count;
  }

  add(key: string, entry: T): void {
    let node = this.root;
    for (let step = 0; step < key.length; step++) {
      const code = key.charCodeAt(this.fromEnd ? key.length - 1 - step : step);
      let child = node.children.get(code);
      if (child === undefined) {
        child = emptyNode();
        node.children.set(code, child);
      }
      node = child;
    }
    node.entries.push(entry);
    this.count += 1;
  }

  /** Calls `visit` with every entry whose key is a prefix (suffix) of `text`, shortest key first. */
  lookUp(text: string, visit: (entry: T) => void): void {
    let node: TrieNode<T> | undefined = this.root;
    for (const entry of node.entries) visit(entry);
    for (let step = 0; step < text.length; step++) {
      node = node.children.get(text.charCodeAt(this.fromEnd ? text.length - 1 - step : step));
      if (node === undefined) return;
      for (const entry of node.entries) visit(entry);
    }
  }
}
