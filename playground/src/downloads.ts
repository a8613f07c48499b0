// Downloads of what the page made: the module as .ts and .js (nnc build's and nnc build --js's bytes) and the
// trained weights.json (saveWeights's text, from the training panel through host.weightsChanged).
export interface Downloads {
  module(fileName: string, ts: string, js: string): void;
  weights(json: string | null): void;
}

function save(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function createDownloads(root: HTMLElement): Downloads {
  let module: { fileName: string; ts: string; js: string } | null = null;
  let weights: string | null = null;
  const button = (id: string, label: string, onClick: () => void): HTMLButtonElement => {
    const b = document.createElement("button");
    b.type = "button";
    b.id = id;
    b.textContent = label;
    b.disabled = true;
    b.addEventListener("click", onClick);
    root.append(b);
    return b;
  };
  const ts = button("download-ts", "Download .ts", () => module && save(module.fileName, module.ts, "text/typescript"));
  const js = button("download-js", "Download .js", () => module && save(module.fileName.replace(/\.ts$/, ".js"), module.js, "text/javascript"));
  const w = button("download-weights", "Download weights.json", () => weights !== null && save("weights.json", weights, "application/json"));
  return {
    module(fileName: string, tsText: string, jsText: string): void {
      module = { fileName, ts: tsText, js: jsText };
      ts.disabled = false;
      js.disabled = false;
    },
    weights(json: string | null): void {
      weights = json;
      w.disabled = json === null;
    },
  };
}
