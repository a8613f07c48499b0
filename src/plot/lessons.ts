// Loss curves of several runs of one lesson on one chart (the course's gender story in four runs, x² with and
// without its learning-rate schedule). The loss axis is logarithmic, because the runs span decades; a loss
// that is NaN, Infinity or above the axis's cap is drawn as a marker clipped at the top of the axis (▲ with
// its value, "∞" for a non-finite one), so the chart keeps finite scale domains (no Vega "Infinite extent"
// warnings) and still shows where a run blew up. The x axis can be symlog: epoch 0 (the starting weights)
// stays visible while runs of 1 000 and 5 000 epochs share the axis.
import type { TopLevelSpec } from "vega-lite";
import { BASE_CONFIG, renderSvg, thin } from "./render.js";

export interface RunLoss {
  name: string;
  /** Loss after each evaluated epoch (epoch 0 = the starting weights, if the caller has it). */
  points: { epoch: number; loss: number }[];
}

export interface RunLossOptions {
  /** The loss's name for the y axis (e.g. "mean squared error"). */
  lossName: string;
  /** "symlog" keeps epoch 0 visible while spreading out long runs; default "linear". */
  xScale?: "linear" | "symlog";
  /** Top of the loss axis: larger losses are drawn clipped there, with their value. Default: a decade above the largest finite loss. */
  cap?: number;
}

/** What was drawn: the SVG and the runs with losses clipped at the top of the axis (non-finite or above the cap). */
export interface RunLossPlot {
  svg: string;
  clipped: string[];
  /** The top of the loss axis, where clipped points are drawn. */
  ceiling: number;
}

const MAX_POINTS = 1000;

export async function runLossSvg(runs: readonly RunLoss[], title: string, options: RunLossOptions): Promise<RunLossPlot> {
  const finite = runs.flatMap((r) => r.points.filter((p) => Number.isFinite(p.loss) && p.loss > 0).map((p) => p.loss));
  if (finite.length === 0) throw new Error(`runLossSvg: no finite positive loss to draw in ${JSON.stringify(title)}`);
  // Whole decades around the data; clipped points sit at the cap, by default a decade above the largest finite loss.
  const floor = 10 ** Math.floor(Math.log10(Math.min(...finite)));
  const ceiling = options.cap ?? 10 ** (Math.ceil(Math.log10(Math.max(...finite))) + 1);
  const lines: { run: string; epoch: number; loss: number }[] = [];
  const marks: { run: string; epoch: number; loss: number; label: string }[] = [];
  for (const run of runs) {
    // A clipped point is kept through the thinning: it is what the chart is about.
    const points = thin(run.points, MAX_POINTS);
    for (const p of run.points) if (!(Number.isFinite(p.loss) && p.loss <= ceiling) && !points.includes(p)) points.push(p);
    points.sort((a, b) => a.epoch - b.epoch);
    for (const p of points) {
      if (Number.isFinite(p.loss) && p.loss > 0 && p.loss <= ceiling) {
        lines.push({ run: run.name, epoch: p.epoch, loss: p.loss });
      } else if (!(p.loss <= 0)) {
        // The line runs on to the clipped marker, so the eye follows the run up and off the chart.
        lines.push({ run: run.name, epoch: p.epoch, loss: ceiling });
        marks.push({ run: run.name, epoch: p.epoch, loss: ceiling, label: Number.isFinite(p.loss) ? p.loss.toExponential(1) : "∞" });
      }
    }
  }
  const maxEpoch = Math.max(1, ...runs.flatMap((r) => r.points.map((p) => p.epoch)));
  const names = runs.map((r) => r.name);
  const x = {
    field: "epoch",
    type: "quantitative" as const,
    title: options.xScale === "symlog" ? "epoch (symlog scale)" : "epoch",
    scale: { type: options.xScale ?? "linear", domain: [0, maxEpoch], nice: false },
    // symlog's own ticks fall at odd places (0, 500, 2 500): decades read better.
    ...(options.xScale === "symlog" ? { axis: { values: [0, 1, 10, 100, 1000, 10000, 100000].filter((v) => v <= maxEpoch) } } : {}),
  };
  const y = {
    field: "loss",
    type: "quantitative" as const,
    title: `${options.lossName} (log scale)`,
    scale: { type: "log" as const, domain: [floor, ceiling], nice: false },
  };
  const color = { field: "run", type: "nominal" as const, title: null, sort: names, scale: { domain: names }, legend: { labelLimit: 300 } };
  const layers: object[] = [{ data: { values: lines }, mark: { type: "line", strokeWidth: 1.8, clip: true }, encoding: { x, y, color } }];
  if (marks.length > 0) {
    layers.push(
      { data: { values: marks }, mark: { type: "point", shape: "triangle-up", filled: true, size: 90 }, encoding: { x, y, color } },
      { data: { values: marks }, mark: { type: "text", dy: 12, fontSize: 12 }, encoding: { x, y, color, text: { field: "label" } } },
    );
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: title,
      ...(marks.length > 0
        ? { subtitle: `▲: loss above the axis, drawn at its top (${String(ceiling)}) with its value; ∞ = the loss became NaN/Infinity` }
        : {}),
    },
    config: BASE_CONFIG,
    width: 520,
    height: 320,
    layer: layers,
  } as TopLevelSpec;
  return { svg: await renderSvg(spec), clipped: [...new Set(marks.map((m) => m.run))], ceiling };
}

export interface AccuracyCurve {
  name: string;
  points: { epoch: number; accuracy: number }[];
  /** Drawn dashed: a reference run (e.g. the course's own code), not one of nnc's. */
  dashed?: boolean;
}

/** A figure the course states ("about 0.8 after 20 epochs"), drawn as a marker with its text. */
export interface CourseFigure {
  epoch: number;
  accuracy: number;
  label: string;
}

/**
 * Accuracy per epoch of several runs on one chart (0–100 %), with the course's stated figures as labelled
 * markers, so a reader sees at once where each run meets or misses them.
 */
export async function accuracyCurvesSvg(curves: readonly AccuracyCurve[], figures: readonly CourseFigure[], title: string): Promise<string> {
  const names = curves.map((c) => c.name);
  const lines = curves.flatMap((c) =>
    thin(c.points, MAX_POINTS)
      .filter((p) => Number.isFinite(p.accuracy))
      .map((p) => ({ run: c.name, epoch: p.epoch, accuracy: p.accuracy, dashed: c.dashed === true })),
  );
  const maxEpoch = Math.max(1, ...curves.flatMap((c) => c.points.map((p) => p.epoch)), ...figures.map((f) => f.epoch));
  const x = { field: "epoch", type: "quantitative" as const, title: "epoch", scale: { domain: [0, maxEpoch], nice: false } };
  const y = { field: "accuracy", type: "quantitative" as const, title: "validation accuracy", scale: { domain: [0, 1] }, axis: { format: ".0%" } };
  const layers: object[] = [
    {
      data: { values: lines },
      mark: { type: "line", strokeWidth: 1.8 },
      encoding: {
        x,
        y,
        color: {
          field: "run",
          type: "nominal",
          title: null,
          sort: names,
          scale: { domain: names },
          legend: { labelLimit: 320, orient: "bottom", direction: "vertical" },
        },
        strokeDash: {
          field: "dashed",
          type: "nominal",
          scale: {
            domain: [false, true],
            range: [
              [1, 0],
              [5, 3],
            ],
          },
          legend: null,
        },
      },
    },
  ];
  if (figures.length > 0) {
    layers.push(
      { data: { values: figures }, mark: { type: "point", shape: "diamond", filled: true, size: 70, color: "black" }, encoding: { x, y } },
      { data: { values: figures }, mark: { type: "text", align: "left", dx: 7, dy: -7, fontSize: 11 }, encoding: { x, y, text: { field: "label" } } },
    );
  }
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: title, ...(figures.length > 0 ? { subtitle: "◆ the course's figures" } : {}) },
    config: BASE_CONFIG,
    width: 520,
    height: 320,
    layer: layers,
  } as TopLevelSpec;
  return renderSvg(spec);
}
