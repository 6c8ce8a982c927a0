// Tiny DOM helpers: elements are built with textContent only, never innerHTML.

type Attrs = Record<string, string | boolean | undefined>;

/** Creates an element with attributes and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Array<Node | string | null | undefined>
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/** The nodes that are there (skips `null` and `undefined`), for `replaceChildren`. */
export function present(...nodes: Array<Node | null | undefined>): Node[] {
  return nodes.filter((node): node is Node => node !== null && node !== undefined);
}
