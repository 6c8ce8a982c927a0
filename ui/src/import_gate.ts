// What Apply imports: exactly the file and name the preview showed. Editing either field
// afterwards hides Apply until it is previewed again, so a clean preview of one file never
// applies another.

import type { ImportPreview, ProjectList } from "./bindings";

/** The file and name a preview was made for. */
export interface Previewed {
  path: string;
  name: string | null;
}

/** Remembers the last clean preview; forgets it on any edit. */
export class ImportGate {
  private shown: Previewed | null = null;

  /** A preview of `previewed` came back: Apply may import it when nothing blocks it and
   * the name is free (a clash is previewed again under the name chosen). */
  previewed(previewed: Previewed, preview: ImportPreview): void {
    const clean = preview.blockers.length === 0 && preview.project.kind !== "name_clash";
    this.shown = clean ? { ...previewed } : null;
  }

  /** The file path or the name was edited: nothing is applied before a new preview. */
  edited(): void {
    this.shown = null;
  }

  /** What Apply imports, or `null` while Apply stays hidden. */
  toApply(): Previewed | null {
    return this.shown === null ? null : { ...this.shown };
  }
}

/** The name to offer when the file's name is another server's here: this computer's
 * project for the file's URL when there is one (importing updates it), else `suggestion`. */
export function nameToOffer(list: ProjectList, preview: ImportPreview, suggestion: string): string {
  return list.projects.find((project) => project.url === preview.file.url)?.name ?? suggestion;
}
