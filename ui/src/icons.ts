// Each client's icon: the brand mark from Simple Icons (CC0) where the package has one,
// otherwise a monogram on the client's colour. Only the marks named here are bundled.

import { siClaude, siCursor, siGooglegemini, siRaycast, siWindsurf, siZedindustries } from "simple-icons";

import { h } from "./dom";

interface Mark {
  readonly path: string;
  readonly hex: string;
}

const MARKS: Record<string, Mark> = {
  "claude-desktop": siClaude,
  "claude-code": siClaude,
  "claude-ai": siClaude,
  cursor: siCursor,
  gemini: siGooglegemini,
  raycast: siRaycast,
  windsurf: siWindsurf,
  zed: siZedindustries,
};

/** Monogram colours for the clients Simple Icons has no mark for. */
const MONOGRAM_COLOURS: Record<string, string> = {
  vscode: "#0065A9",
  chatgpt: "#10A37F",
  codex: "#10A37F",
};

/** The letters of a monogram: the initials of the first two words ("VS Code" → "VC"). */
export function monogram(name: string): string {
  const words = name.split(/[\s.]+/).filter((word) => word.length > 0);
  const letters = words.length > 1 ? words.slice(0, 2).map((word) => word[0]) : [...(words[0] ?? "?").slice(0, 2)];
  return letters.join("").toUpperCase();
}

/** The icon of client `id` (named `name`), decorative: the card names the client. */
export function clientIcon(id: string, name: string): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "client-icon");
  const mark = MARKS[id];
  if (mark) {
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", mark.path);
    // Near-black marks follow the text colour, so they show in dark mode too.
    path.setAttribute("fill", isDark(mark.hex) ? "currentColor" : `#${mark.hex}`);
    svg.append(path);
    return svg;
  }
  const circle = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [key, value] of Object.entries({ width: "24", height: "24", rx: "6", fill: MONOGRAM_COLOURS[id] ?? "#6644FF" })) circle.setAttribute(key, value);
  const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
  for (const [key, value] of Object.entries({ x: "12", y: "16", "text-anchor": "middle", "font-size": "10", "font-weight": "700", fill: "#fff", "font-family": "system-ui, sans-serif" })) text.setAttribute(key, value);
  text.textContent = monogram(name);
  svg.append(circle, text);
  return svg;
}

function isDark(hex: string): boolean {
  const value = Number.parseInt(hex, 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 40;
}

/** The icon in its cell, as a card shows it. */
export const iconCell = (id: string, name: string): HTMLElement => h("span", { class: "icon-cell" }, clientIcon(id, name));
