// Each client's icon: the brand mark from Simple Icons (CC0) where the package has one,
// otherwise a monogram on the client's colour. Only the marks named here are bundled.

import { siClaude, siCline, siCursor, siGithubcopilot, siGooglegemini, siJetbrains, siLmstudio, siOpencode, siQwen, siRaycast, siTrae, siWarp, siWindsurf, siZedindustries } from "simple-icons";

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
  copilot: siGithubcopilot,
  opencode: siOpencode,
  cline: siCline,
  qwen: siQwen,
  junie: siJetbrains,
  warp: siWarp,
  lmstudio: siLmstudio,
  trae: siTrae,
};

/** Monogram colours for the clients Simple Icons has no mark for. */
const MONOGRAM_COLOURS: Record<string, string> = {
  vscode: "#0065A9",
  chatgpt: "#10A37F",
  codex: "#10A37F",
  kilo: "#F8F675",
  auggie: "#1A1A1A",
  droid: "#EE6018",
  kiro: "#7B5CFF",
  "visual-studio": "#68217A",
  "cherry-studio": "#E94B3C",
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
  const colour = MONOGRAM_COLOURS[id] ?? "#6644FF";
  const circle = document.createElementNS("http://www.w3.org/2000/svg", "rect");
  for (const [key, value] of Object.entries({ width: "24", height: "24", rx: "6", fill: colour })) circle.setAttribute(key, value);
  const text = document.createElementNS("http://www.w3.org/2000/svg", "text");
  for (const [key, value] of Object.entries({ x: "12", y: "16", "text-anchor": "middle", "font-size": "10", "font-weight": "700", fill: luminance(colour.slice(1)) > 140 ? "#111" : "#fff", "font-family": "system-ui, sans-serif" })) text.setAttribute(key, value);
  text.textContent = monogram(name);
  svg.append(circle, text);
  return svg;
}

function isDark(hex: string): boolean {
  return luminance(hex) < 40;
}

/** Perceived brightness of an `RRGGBB` colour, 0 to 255. */
function luminance(hex: string): number {
  const value = Number.parseInt(hex, 16);
  const [r, g, b] = [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The icon in its cell, as a card shows it. */
export const iconCell = (id: string, name: string): HTMLElement => h("span", { class: "icon-cell" }, clientIcon(id, name));
