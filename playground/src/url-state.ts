// The whole page state in the URL's fragment (issue 20: share a link, reopen it exactly): the spec text, the
// seed and the training panel's own state, as JSON compressed by lz-string into URL-safe characters. The
// fragment never reaches a server, so a shared spec stays in the link.
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

export interface PageState {
  text: string;
  seed: number;
  panel: Record<string, string>;
}

const PREFIX = "#s=";

export function encodeState(state: PageState): string {
  return PREFIX + compressToEncodedURIComponent(JSON.stringify({ v: 1, text: state.text, seed: state.seed, panel: state.panel }));
}

/** The state in `hash`, or null when there is none or it does not decode (a truncated link: the page starts fresh). */
export function decodeState(hash: string): PageState | null {
  if (!hash.startsWith(PREFIX)) return null;
  const json = decompressFromEncodedURIComponent(hash.slice(PREFIX.length));
  if (json === null || json === "") return null;
  try {
    const value = JSON.parse(json) as { text?: unknown; seed?: unknown; panel?: unknown };
    if (typeof value.text !== "string" || typeof value.seed !== "number" || !Number.isInteger(value.seed)) return null;
    const panel: Record<string, string> = {};
    if (typeof value.panel === "object" && value.panel !== null)
      for (const [k, v] of Object.entries(value.panel)) if (typeof v === "string" && k !== "__proto__") panel[k] = v;
    return { text: value.text, seed: value.seed, panel };
  } catch {
    return null;
  }
}
