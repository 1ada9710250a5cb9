// The training view, drawn in the browser: Step, Play and scrubbing move through a run the
// server has already computed, so a click redraws the charts at once instead of waiting for a
// round trip. The server hears about the iteration afterwards (to update the panels below),
// asks for more iterations when Play reaches the end, and learns of clicks on the data chart.
"use strict";

// --- Streamlit's component messages (the protocol of streamlit-component-lib) -----------------
const Streamlit = {
  send(type, data) { window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*"); },
  ready() { this.send("streamlit:componentReady", { apiVersion: 1 }); },
  setHeight(height) { this.send("streamlit:setFrameHeight", { height }); },
  setValue(value) { this.send("streamlit:setComponentValue", { value, dataType: "json" }); },
};

const $ = (id) => document.getElementById(id);
// When the browser has nothing else to do (within a second); Safari has no requestIdleCallback.
const whenIdle = window.requestIdleCallback
  ? (task) => window.requestIdleCallback(task, { timeout: 1000 }) : (task) => setTimeout(task, 50);
const CHARTS = ["data", "weights", "gradients", "loss"];
const SYNC_DELAY_MS = 250; // a burst of Steps tells the server at most this often
const AHEAD_DELAY_MS = 500; // rest before asking for the runs ahead the server has not sent yet
const SESSION = Math.random().toString(36).slice(2);

const state = {
  args: null,
  run: null, // arrays of the run: params, original, gradients, loss, accuracy; K = last iteration
  revision: null, // changes with the run (data, settings, length)
  runs: new Map(), // learning rate → the run on show and those computed ahead (same data and settings)
  wantedAlpha: null, // a learning rate chosen here that the server has not yet confirmed
  figuresRevision: null, // changes with the figures (data, language, view)
  k: 0,
  target: null, // an iteration past the end, waiting for the server to compute it
  playing: false,
  playFrom: 0, // iteration and time Play (re)started from
  playStart: 0,
  seekToken: null,
  acted: false, // the user moved the view since the last report (a student then explores)
  lastPlaySync: -Infinity, // a teacher's view: when it last told its page where Play is
  room: null, // a student's page: {source: EventSource, key, version, teacher}
  nonce: 0,
  syncTimer: null,
  lastSent: -Infinity,
  waitingForMore: false,
  aheadWanted: false, // a report is due: the server has runs ahead to send (see askForRunsAhead)
  aheadAskedFor: null, // ... once per run
  aheadTimer: null,
  traces: {}, // chart -> {meta: trace index}
  baseShapes: {}, // chart -> the server's shapes (the current iteration's line first)
  zoomed: {}, // chart -> the user has zoomed or panned it
  axes: {}, // chart -> the axis ranges drawn while following the iteration
  framesDrawn: 0, // for benchmarks and tests: redraws since load
  builds: 0, // ... and how often the charts were built anew (never while only the iteration moves)
};
window.logitPlayer = state; // read by tests and benchmarks

// --- numbers as the server writes them ----------------------------------------------------
function formatG(value, digits) {
  // Python's format(value, ".{digits}g")
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(digits)))));
  if (exponent < -4 || exponent >= digits) {
    return value.toExponential(digits - 1).replace(/\.?0+e/, "e").replace(/e([+-])(\d)$/, "e$10$2");
  }
  const fixed = value.toFixed(Math.max(0, digits - 1 - exponent));
  return fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
}
const signed = (value, digits) => (value >= 0 ? "+" : "") + formatG(value, digits);
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => (name in values ? values[name] : ""));

// --- the model's picture at one iteration ---------------------------------------------------
const sigmoid = (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

function separatingLine(w1, w2, b, box) {
  // Endpoints of w1·x1 + w2·x2 + b = 0 inside the box (as logit.geometry.separating_line).
  const [x1min, x1max, x2min, x2max] = box;
  if (![w1, w2, b].every(Number.isFinite) || (w1 === 0 && w2 === 0)) return null;
  const points = [];
  if (w2 !== 0) for (const x1 of [x1min, x1max]) {
    const x2 = -(w1 * x1 + b) / w2;
    if (x2 >= x2min && x2 <= x2max) points.push([x1, x2]);
  }
  if (w1 !== 0) for (const x2 of [x2min, x2max]) {
    const x1 = -(w2 * x2 + b) / w1;
    if (x1 >= x1min && x1 <= x1max) points.push([x1, x2]);
  }
  if (points.length < 2) return null;
  points.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return [points[0], points[points.length - 1]];
}

// Per iteration only the layout changes (an image, shapes, axis ranges) and the opacity of the
// rings: Plotly redraws those without recomputing any trace, which a data change would do
// (measured: ~200× slower for a shape moved by restyle than by relayout).
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); // "#E69F00" → [230, 159, 0]
const canvas = document.createElement("canvas");

function probabilityImage(w1, w2, b) {
  // σ(w1·x1 + w2·x2 + b) on the grid as a PNG: orange (ŷ = 0) → white (½) → blue (1), rows from the top.
  const { x1, x2 } = state.args.grid;
  const classRgb = state.args.colors.classes.map(rgb);
  canvas.width = x1.length; canvas.height = x2.length;
  const context = canvas.getContext("2d");
  const image = context.createImageData(x1.length, x2.length);
  for (let row = 0; row < x2.length; row++) {
    const v = x2[x2.length - 1 - row];
    for (let col = 0; col < x1.length; col++) {
      const score = w1 * x1[col] + w2 * v + b;
      const p = sigmoid(Number.isNaN(score) ? 0 : score); // inf·0 where the line is undefined: ŷ = ½
      const [color, t] = p < 0.5 ? [classRgb[0], 1 - 2 * p] : [classRgb[1], 2 * p - 1];
      const at = 4 * (row * x1.length + col);
      image.data[at] = 255 + (color[0] - 255) * t;
      image.data[at + 1] = 255 + (color[1] - 255) * t;
      image.data[at + 2] = 255 + (color[2] - 255) * t;
      image.data[at + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  return canvas.toDataURL("image/png");
}

function drawData(k) {
  const { points, box } = state.args;
  const [w1, w2, b] = state.run.original[k];
  state.wrong = points.x1.map((x1, i) => ((w1 * x1 + w2 * points.x2[i] + b >= 0) !== (points.y[i] === 1) ? 1 : 0));
  const line = separatingLine(w1, w2, b, box);
  const shape = Object.assign({}, state.lineShape, line
    ? { x0: line[0][0], y0: line[0][1], x1: line[1][0], y1: line[1][1], visible: true } : { visible: false });
  // Whole arrays, not "shapes[0].x0": an attribute edit makes Plotly recompute every trace.
  Plotly.relayout($("chart-data"), { "images[0].source": probabilityImage(w1, w2, b), shapes: [shape] });
  showRings();
  clearTimeout(state.ringTimer);
  state.ringTimer = setTimeout(() => whenIdle(commitRings), RING_COMMIT_MS);
}

// The rings of wrongly classified points: one ring per drawn point, shown or hidden by setting
// the opacity of its SVG element directly (Plotly would recompute the whole chart for a new
// opacity array). Once the view rests, the opacities are also written into the figure, so a
// saved PNG (and a WebGL chart, which has no SVG points) shows them.
const RING_COMMIT_MS = 2000; // long after a Step: writing them redraws the chart (~90 ms at 1,000 points)

function showRings() {
  const index = state.traces.data.mistakes;
  for (const group of $("chart-data").querySelectorAll("g.trace.scatter")) {
    // d3 binds each point's calcdata to its path; the first point also carries the trace.
    const first = group.querySelector("path.point");
    const trace = first && first.__data__ && first.__data__.trace;
    if (!trace || trace.index !== index) continue;
    for (const path of group.querySelectorAll("path.point")) {
      const point = path.__data__;
      if (point && point.i !== undefined) path.style.opacity = state.wrong[point.i] ? "1" : "0";
    }
  }
}

function commitRings() {
  if (state.playing || !state.wrong) return;
  Plotly.restyle($("chart-data"), { "marker.opacity": [state.wrong.slice()] }, [state.traces.data.mistakes]);
}


function range(values, k, columns, toZero) {
  let low = toZero ? 0 : Infinity, high = toZero ? 0 : -Infinity;
  for (let i = 0; i <= k; i++) for (const j of columns) {
    const v = values[i][j];
    if (Number.isFinite(v)) { if (v < low) low = v; if (v > high) high = v; }
  }
  if (!Number.isFinite(low)) return [-1, 1];
  const pad = (high - low) * 0.06 || Math.abs(high) * 0.1 || 1;
  return [toZero && low >= 0 ? 0 : low - pad, high + pad];
}

function drawHistory(name, values, columns, k, colors, toZero = false, withLines = false) {
  // The whole run is drawn once; the part after k is covered, the axes follow k (unless the user zoomed).
  // withLines: the run changed too; its lines go in the same redraw.
  const K = state.run.K;
  const base = state.baseShapes[name];
  const shapes = base.slice();
  shapes[0] = Object.assign({}, base[0], { x0: k, x1: k }); // the current iteration's line
  shapes.push({ type: "rect", xref: "x", yref: "paper", x0: k, x1: Math.max(K, k) + 1, y0: 0, y1: 1,
                fillcolor: "white", line: { width: 0 }, layer: "above" });
  columns.forEach((j, n) => {
    const v = values[k][j];
    if (!Number.isFinite(v)) return;
    shapes.push({ type: "circle", xref: "x", yref: "y", xsizemode: "pixel", ysizemode: "pixel", xanchor: k, yanchor: v,
                  x0: -5, x1: 5, y0: -5, y1: 5, fillcolor: colors[n], line: { color: "white", width: 1.5 }, layer: "above" });
  });
  const layout = { shapes };
  if (!state.zoomed[name]) Object.assign(layout, followAxes(name, values, columns, k, toZero));
  const element = $(`chart-${name}`);
  if (!withLines) { Plotly.relayout(element, layout); return; }
  const lines = historyLines(name, element.data);
  Plotly.update(element, { x: lines.map((l) => l.x), y: lines.map((l) => l.y) }, layout, lines.map((l) => l.index));
}

function followAxes(name, values, columns, k, toZero) {
  // The axes grow in steps, not with every iteration: a frame that moves only shapes is several
  // times cheaper to draw (Play stays smooth), and the picture jumps less. They shrink again
  // when the view is far too big (after scrubbing back or a reset).
  const shown = state.axes[name] || (state.axes[name] = { x: null, y: null });
  const change = {};
  const K = Math.max(state.run.K, 10);
  const neededX = Math.max(k, 10) * 1.02;
  if (!shown.x || neededX > shown.x[1] || neededX < shown.x[1] / 3) {
    shown.x = [0, Math.min(Math.max(neededX * 1.5, 10.2), K * 1.02)];
    if (shown.x[1] < neededX) shown.x[1] = neededX;
    change["xaxis.range"] = shown.x;
  }
  const [low, high] = range(values, k, columns, toZero);
  const span = high - low;
  if (!shown.y || low < shown.y[0] || high > shown.y[1] || shown.y[1] - shown.y[0] > 4 * span) {
    const pad = 0.15 * span;
    shown.y = [toZero && low >= 0 ? 0 : low - pad, high + pad];
    change["yaxis.range"] = shown.y;
  }
  return change;
}

function drawCharts(k, withLines = false) {
  const run = state.run;
  drawData(k);
  const series = state.args.colors.series;
  drawHistory("weights", run.params, [0, 1, 2], k, series, false, withLines);
  drawHistory("gradients", run.gradients, [0, 1, 2], k, series, false, withLines);
  drawHistory("loss", run.lossTable, [0], k, [series[1]], true, withLines);
}

function watchZoom(name, element) {
  element.on("plotly_relayout", (change) => {
    if (!change || change.shapes || change["images[0].source"]) return; // our own redraw
    if (change["xaxis.autorange"] || change["yaxis.autorange"]) { state.zoomed[name] = false; state.axes[name] = null; }
    else if (Object.keys(change).some((key) => key.startsWith("xaxis.range") || key.startsWith("yaxis.range"))) {
      state.zoomed[name] = true;
    }
    if (change["xaxis.autorange"] && name !== "data") { state.drawn = null; draw(); } // "reset axes": back to following k
  });
}

// --- the words and numbers above the charts ---------------------------------------------------
function drawText(k) {
  const { texts } = state.args;
  const run = state.run;
  const K = run.K;
  $("header").textContent = fill(texts.header, { k, total: K });
  const status = $("status");
  let kind = "info", message;
  if (state.wantedAlpha !== null && !state.runs.has(state.wantedAlpha)) {
    message = fill(texts.computing, { alpha: formatG(state.wantedAlpha, 6) });
  } else if (run.status === "diverged" && k >= K) [kind, message] = ["warning", run.reason];
  else if (run.status === "converged" && k >= K) [kind, message] = ["success", `${texts.converged} ${run.reason}`];
  else if (trend(run, k) !== "descending") {
    // What the loss up to k shows, as soon as it shows (the server judged every iteration).
    kind = "warning";
    message = fill(texts[trend(run, k)], { k, start: formatG(run.loss[0], 3), loss: formatG(run.loss[k], 3),
                                           alpha: formatG(run.alpha, 6), remedy: run.remedy });
  } else if (state.playing) message = texts.playing;
  else if (k === 0) message = texts.start;
  else message = fill(texts.running, { total: K });
  status.className = `status ${kind}`;
  status.textContent = message;

  const before = Math.max(k - 1, 0);
  const p = run.params[k], q = run.params[before];
  ["w1", "w2", "b"].forEach((name, j) => {
    $(`m-${name}`).textContent = formatG(p[j], 4);
    $(`d-${name}`).textContent = k ? signed(p[j] - q[j], 3) : "";
  });
  $("m-loss").textContent = Number.isFinite(run.loss[k]) ? run.loss[k].toFixed(4) : formatG(run.loss[k], 4);
  const lossChange = run.loss[k] - run.loss[before];
  setDelta($("d-loss"), k ? signed(lossChange, 3) : "", lossChange < 0, lossChange > 0);
  $("m-acc").textContent = `${(100 * run.accuracy[k]).toFixed(1)}%`;
  const accuracyChange = 100 * (run.accuracy[k] - run.accuracy[before]);
  setDelta($("d-acc"), k && accuracyChange ? `${signed(accuracyChange, 3)} pp` : "", accuracyChange > 0, accuracyChange < 0);
  const o = run.original[k];
  $("original").textContent = texts.original
    ? fill(texts.original, { w1: formatG(o[0], 4), w2: formatG(o[1], 4), b: formatG(o[2], 4) }) : "";

  const scrub = $("scrub");
  scrub.max = String(Math.max(K, 1));
  scrub.value = String(k);
  scrub.disabled = K === 0 || state.playing;
  scrub.setAttribute("aria-valuetext", fill(texts.header, { k, total: K }));
  const last = k >= K && !run.canContinue;
  $("step").disabled = state.playing || last;
  $("step10").disabled = state.playing || last;
  $("play").textContent = state.playing ? texts.pause : texts.play;
  $("play").setAttribute("aria-pressed", String(state.playing));
  $("play").disabled = !state.playing && last;
  const alpha = state.wantedAlpha !== null ? state.wantedAlpha : run.alpha;
  $("alpha").value = String(alpha);
  $("alpha-down").disabled = rateTimes(alpha, 0.1) === null;
  $("alpha-up").disabled = rateTimes(alpha, 10) === null;
}

function trend(run, k) {
  // "descending", "rising" or "oscillating" (logit.diagnosis), one digit per iteration.
  return state.args.trends[Number(run.trend.charAt(k)) || 0];
}

function setDelta(element, text, good, bad) {
  element.textContent = text;
  element.className = `delta${text && good ? " good" : ""}${text && bad ? " bad" : ""}`;
}

function draw(withLines = false) {
  // withLines: the run's lines changed since the charts were last drawn.
  drawText(state.k);
  const drawn = `${state.figuresRevision}|${state.revision}|${state.k}`;
  if (!withLines && drawn === state.drawn) return; // the charts show this already (a page run sent the same)
  state.drawn = drawn;
  drawCharts(state.k, withLines);
  for (const name of CHARTS) {
    // The camera button saves "…-k{k}.png" for the iteration on show (read when clicked).
    const options = $(`chart-${name}`)._context && $(`chart-${name}`)._context.toImageButtonOptions;
    const template = state.run.files && state.run.files[name];
    if (options && template) options.filename = template.replace("{k}", String(state.k));
  }
  state.framesDrawn += 1;
  document.body.dataset.iteration = String(state.k); // what tests wait for
  document.body.dataset.alpha = String(state.run.alpha);
}

// --- moving through the run -----------------------------------------------------------------
function goTo(k) {
  const run = state.run;
  if (k > run.K && run.canContinue) {
    state.target = k;
    requestMore();
    k = run.K;
  }
  state.k = Math.max(0, Math.min(k, run.K));
  // A report leaves the page two tasks later (the page's message handler, then its flush
  // timer): draw after those, so the server works on the panels while the browser draws.
  if (scheduleSync()) setTimeout(() => setTimeout(draw, 0), 0);
  else draw();
}

function scheduleSync() {
  // At once if the server has not heard from us lately; a burst of Steps then tells it
  // at most every SYNC_DELAY_MS, and always ends with the last iteration. True if sent now.
  clearTimeout(state.syncTimer);
  const since = performance.now() - state.lastSent;
  if (since >= SYNC_DELAY_MS) { sendIteration(); return true; }
  state.syncTimer = setTimeout(sendIteration, SYNC_DELAY_MS - since);
  return false;
}

function sendIteration(extra = {}) {
  clearTimeout(state.syncTimer);
  state.lastSent = performance.now();
  state.nonce += 1;
  const nonce = `${SESSION}:${state.nonce}`; // unique even if this frame is created again
  state.aheadWanted = false; // any report brings the runs ahead the server still owes
  const acted = state.acted;
  state.acted = false;
  Streamlit.setValue(Object.assign({ k: state.k, nonce, revision: state.revision, acted }, extra));
}

function askForRunsAhead(args) {
  // The server sent this run before the runs next to it (it had to compute this one first);
  // its next run, once it knows this view shows the run, computes them. So report once the
  // view has rested a moment, unless a report leaves sooner. Not at once: a run the server
  // is busy with holds up the next click's run.
  if (!args.ahead_pending) { state.aheadWanted = false; return; }
  if (state.aheadAskedFor === args.revision || state.wantedAlpha !== null) return;
  state.aheadAskedFor = args.revision;
  state.aheadWanted = true;
  clearTimeout(state.aheadTimer);
  state.aheadTimer = setTimeout(() => whenIdle(() => { if (state.aheadWanted) sendIteration(); }), AHEAD_DELAY_MS);
}

function requestMore() {
  if (state.waitingForMore) return;
  state.waitingForMore = true;
  sendIteration({ more: true });
  // Ask again if no longer run arrives (e.g. the report was lost while the page reconnected).
  setTimeout(() => { state.waitingForMore = false; }, 5000);
}

function play() {
  if (state.k >= state.run.K && !state.run.canContinue) return;
  state.playing = true;
  state.playFrom = state.k;
  state.playStart = performance.now();
  draw();
  syncPlay(performance.now(), true);
  requestAnimationFrame(tick);
}

// A teacher's view playing in a room tells its page where it is once a second (the room's
// students then play along in their own views); alone, Play tells the server nothing until Pause.
const PLAY_SYNC_MS = 1000;
function syncPlay(now, force = false) {
  const room = state.args && state.args.room;
  if (!room || !room.teacher_key || (!force && now - state.lastPlaySync < PLAY_SYNC_MS)) return;
  state.lastPlaySync = now;
  sendIteration({ playing: Number($("speed").value) });
}

function pause() {
  if (!state.playing) return;
  state.playing = false;
  draw();
  sendIteration();
}

function tick(now) {
  if (!state.playing) return;
  const speed = Number($("speed").value);
  const due = state.playFrom + Math.floor(((now - state.playStart) * speed) / 1000);
  const run = state.run;
  if (due > state.k) {
    if (due > run.K && run.canContinue) requestMore();
    const k = Math.min(due, run.K);
    if (k !== state.k) { state.k = k; draw(); syncPlay(now); }
    if (state.k >= run.K && !run.canContinue) { pause(); return; }
    if (state.k >= run.K) { state.playFrom = state.k; state.playStart = now; } // wait for more, then go on
  }
  requestAnimationFrame(tick);
}

// --- the layout: page, phone or presenter, and the charts' heights -------------------------------
const PHONE_WIDTH = 640; // narrower frames stack everything in one column
const PRESENTER_WIDTH = 900; // presenter mode on a narrower screen falls back to the page's layout
const MIN_HISTORY_HEIGHT = 220;

function layoutMode() {
  const width = window.innerWidth;
  if (state.args.layout === "presenter" && width >= PRESENTER_WIDTH) return "presenter";
  return width < PHONE_WIDTH ? "phone" : "page";
}

function applyLayout() {
  const mode = layoutMode();
  $("player").className = mode;
  state.layout = mode;
  return mode;
}

function screenHeight() {
  try { return window.parent.innerHeight; } catch (error) { return window.screen.height; }
}

function frameTopInPage() {
  // Where this frame starts in the page when the page is scrolled to its top.
  try {
    let top = window.frameElement.getBoundingClientRect().top;
    for (let node = window.frameElement.parentElement; node; node = node.parentElement) top += node.scrollTop;
    return top + window.parent.scrollY;
  } catch (error) {
    return 0;
  }
}

function chartHeights(mode) {
  // page: the server's heights; phone: a square-ish data chart that leaves Step on the screen;
  // presenter: from the data chart's top to the bottom of the screen, the three histories sharing it.
  const figureHeight = (name) => state.args.figures[name].layout.height;
  if (mode === "page") return Object.fromEntries(CHARTS.map((name) => [name, figureHeight(name)]));
  if (mode === "phone") {
    const data = Math.round(Math.max(260, Math.min($("player").clientWidth, 0.5 * screenHeight())));
    return { data, weights: 240, gradients: 240, loss: 240 };
  }
  const gap = parseFloat(getComputedStyle($("player")).rowGap) || 10;
  const below = $("sampled").offsetHeight + 16; // the sample note, and a margin to the screen's edge
  const data = Math.max(320, Math.floor(screenHeight() - frameTopInPage() - $("chart-data").offsetTop - below));
  // The three share the data chart's height, but no less than a readable chart (the page scrolls then).
  const history = Math.max(MIN_HISTORY_HEIGHT, Math.floor((data - 2 * gap) / 3));
  return { data, weights: history, gradients: history, loss: history };
}

function resizeCharts() {
  // A new screen size or mode: the charts take their new heights (only those that changed).
  if (!state.args || !state.figuresRevision) return;
  const before = state.layout;
  const mode = applyLayout();
  if (mode !== before && (mode === "phone" || before === "phone")) { state.figuresRevision = null; render(state.args); return; }
  const heights = chartHeights(mode);
  for (const name of CHARTS) {
    const element = $(`chart-${name}`);
    if (!element._fullLayout || element._fullLayout.height === heights[name]) continue;
    element.style.height = `${heights[name]}px`;
    Plotly.relayout(element, { height: heights[name] });
  }
}

// --- building the charts from the server's figures ---------------------------------------------
function findTraces(figure) {
  const found = {};
  figure.data.forEach((trace, i) => { if (trace.meta !== undefined) found[trace.meta] = i; });
  return found;
}

function buildCharts(args) {
  state.builds += 1;
  const mode = applyLayout();
  const heights = chartHeights(mode);
  for (const name of CHARTS) {
    const figure = name === "data" ? dataFigure(args) : historyFigure(args.figures[name], name);
    const layout = Object.assign({}, figure.layout, { uirevision: args.uirevision[name], height: heights[name] });
    const config = Object.assign({ responsive: true, displaylogo: false }, args.configs[name]);
    if (mode === "phone") {
      // On a touch screen a drag scrolls the page (no zoom by touch), and the toolbar, which would
      // cover the legend of a narrow chart, stays hidden.
      layout.dragmode = false;
      config.displayModeBar = false;
      layout.legend = Object.assign({}, layout.legend, { font: { size: 11 } }); // more room for the plot
    }
    state.traces[name] = findTraces(figure);
    const element = $(`chart-${name}`);
    element.setAttribute("aria-label", args.alt[name]);
    // The div holds the figure's height itself. With responsive charts Plotly answers a resize of
    // the window (this frame's height changes with its content) by sizing the plot to 100% of
    // the div; a div without a height of its own then collapses to 0 and the next chart is
    // drawn over the plot.
    element.style.height = `${layout.height}px`;
    Plotly.react(element, figure.data, layout, config);
    if (!element.dataset.watched) { element.dataset.watched = "1"; watchZoom(name, element); }
  }
  const chart = $("chart-data");
  if (!chart.dataset.listening) {
    chart.dataset.listening = "1";
    chart.on("plotly_click", onDataClick);
    chart.on("plotly_afterplot", () => { if (state.wrong) showRings(); }); // a zoom or pan drew new points
  }
}

function dataFigure(args) {
  // The server's data chart, made ready for drawing each iteration from the layout:
  // the probability as an image, the line as a shape, a ring on every point (shown if wrong).
  const figure = JSON.parse(JSON.stringify(args.figures.data));
  const { box, points } = args;
  const legend = [];
  for (const trace of figure.data) {
    if (trace.meta === "heatmap") {
      // Kept for its colour bar only.
      Object.assign(trace, { z: [[0, 1]], x: [box[0], box[1]], y: [box[2], box[2]], opacity: 0, hoverinfo: "skip", zsmooth: false });
    } else if (trace.meta === "mistakes") {
      // The legend shows a ring at full strength: a stand-in trace, as the rings' own opacity varies.
      legend.push(Object.assign(JSON.parse(JSON.stringify(trace)), { x: [null], y: [null], meta: "mistakes-legend" }));
      Object.assign(trace, { x: points.x1, y: points.x2, customdata: points.index, showlegend: false });
      trace.marker = Object.assign({}, trace.marker, { opacity: points.x1.map(() => 0) });
    } else if (trace.meta === "boundary") {
      Object.assign(trace, { x: [null], y: [null] }); // in the legend; drawn as shapes[0]
    }
  }
  figure.data.push(...legend);
  const layout = figure.layout;
  layout.images = [{ source: "", xref: "x", yref: "y", x: box[0], y: box[3], sizex: box[1] - box[0], sizey: box[3] - box[2],
                     sizing: "stretch", layer: "below", opacity: 0.35 }];
  state.lineShape = { type: "line", xref: "x", yref: "y", x0: 0, y0: 0, x1: 0, y1: 0, visible: false,
                     line: { color: "#222222", width: 3 }, layer: "above" };
  layout.shapes = [state.lineShape];
  layout.plot_bgcolor = "white";
  return figure;
}

function historyLines(name, traces) {
  // The values of each line trace of a history chart, for the whole run.
  const run = state.run;
  const columns = { weights: run.params, gradients: run.gradients };
  const lines = [];
  traces.forEach((trace, index) => {
    const meta = String(trace.meta || "");
    let y = null;
    if (meta.startsWith("line:")) y = columns[name].map((row) => row[Number(meta.slice(5))]);
    else if (meta === "loss") y = run.loss;
    else if (meta === "accuracy") y = run.accuracy;
    if (y) lines.push({ index, x: run.iterations, y });
  });
  return lines;
}

function historyFigure(source, name) {
  // The whole run's lines, drawn once; marker traces go (the current values are shapes).
  const figure = JSON.parse(JSON.stringify(source));
  figure.data = figure.data.filter((trace) => !String(trace.meta || "").startsWith("marker"));
  for (const line of historyLines(name, figure.data)) Object.assign(figure.data[line.index], { x: line.x, y: line.y });
  state.baseShapes[name] = (figure.layout.shapes || []).slice();
  return figure;
}

function onDataClick(event) {
  const point = event && event.points && event.points[0];
  if (!point) return;
  let index = point.customdata;
  if (Array.isArray(index)) index = index.length ? index[0] : null;
  state.acted = true;
  sendIteration({
    click: {
      mode: state.args.click_mode, x: Number(point.x), y: Number(point.y),
      index: Number.isInteger(index) ? index : null,
    },
  });
}

function prepareRun(meta, bytes, firstRow = 0) {
  // One run from float64 columns (the args' run_columns) per iteration, starting at row firstRow of bytes.
  const names = state.args.run_columns;
  const at = Object.fromEntries(names.map((name, i) => [name, i]));
  const width = names.length;
  const run = Object.assign({}, meta);
  const n = run.K + 1;
  const start = bytes.byteOffset + firstRow * width * 8;
  const values = new Float64Array(bytes.buffer.slice(start, start + n * width * 8));
  const pick = (row, columns) => columns.map((name) => row[at[name]]);
  run.params = []; run.original = []; run.gradients = [];
  run.loss = new Array(n); run.accuracy = new Array(n); run.iterations = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * width, (i + 1) * width);
    run.params.push(pick(row, ["w1", "w2", "b"]));
    run.original.push(pick(row, ["w1_original", "w2_original", "b_original"]));
    run.gradients.push(pick(row, ["dw1", "dw2", "db"]));
    run.loss[i] = row[at.loss]; run.accuracy[i] = row[at.accuracy]; run.iterations[i] = i;
  }
  run.lossTable = run.loss.map((v) => [v]);
  return run;
}

// --- controls ---------------------------------------------------------------------------------
function setUpControls(args) {
  const { texts } = args;
  $("step").textContent = texts.step;
  $("step").title = texts.step_help;
  $("step10").textContent = texts.step10;
  $("reset").textContent = texts.reset;
  $("reset").title = texts.reset_help;
  $("play").title = texts.play_help;
  $("speed-label").textContent = texts.speed;
  $("scrub-label").textContent = texts.scrub;
  $("alpha-label").textContent = texts.alpha;
  $("alpha").title = texts.alpha_help;
  $("alpha-down").textContent = texts.alpha_down;
  $("alpha-down").title = texts.alpha_down_help;
  $("alpha-up").textContent = texts.alpha_up;
  $("alpha-up").title = texts.alpha_up_help;
  const alphas = $("alpha");
  if (alphas.options.length !== args.rates.length) {
    alphas.replaceChildren(...args.rates.map((rate) => new Option(formatG(rate, 6), String(rate))));
  }
  $("scrub").title = texts.scrub_help;
  $("n-loss").textContent = texts.loss;
  $("n-acc").textContent = texts.accuracy;
  $("sampled").textContent = texts.sampled || "";
  document.documentElement.lang = args.language;
  // The view's name, for its document and for the frame the page holds it in (a screen reader
  // announces the frame by its title, which Streamlit sets to the component's module path).
  document.title = texts.view_title;
  $("view-title").textContent = texts.view_title;
  try { if (window.frameElement) window.frameElement.title = texts.view_title; } catch (error) { /* another origin */ }
  document.documentElement.style.setProperty("--scale", String(args.scale));
  const speed = $("speed");
  const chosen = speed.value || String(args.speed);
  speed.replaceChildren(...args.speeds.map((s) => new Option(fill(texts.speed_value, { n: s }), String(s))));
  speed.value = args.speeds.map(String).includes(chosen) ? chosen : String(args.speed);
}

// --- what if α were different? ---------------------------------------------------------------
function rateTimes(alpha, factor) {
  // The offered rate equal to alpha × factor, or null.
  const wanted = alpha * factor;
  const found = state.args.rates.find((rate) => Math.abs(rate - wanted) <= 1e-9 * wanted);
  return found === undefined ? null : found;
}

function chooseAlpha(alpha) {
  // The run at this rate at once if it was computed ahead (else when the server sends it);
  // the server hears first, so it computes the next runs ahead while this one is drawn.
  if (!Number.isFinite(alpha) || alpha === state.run.alpha && state.wantedAlpha === null) return;
  state.wantedAlpha = alpha === state.args.alpha && state.run.alpha === alpha ? null : alpha;
  state.aheadWanted = false; // the report below goes anyway
  const run = state.runs.get(alpha);
  if (run) state.k = Math.min(state.k, run.K);
  sendIteration({ alpha });
  if (run) setTimeout(() => setTimeout(() => showRun(run), 0), 0);
  else drawText(state.k);
}

function showRun(run) {
  // Another run on the same figures: its lines, then the iteration on show (as far as the run goes).
  if (run === state.run) return;
  state.run = run;
  state.revision = run.revision;
  state.axes = {};
  state.k = Math.min(state.k, run.K);
  if (state.playing) { state.playFrom = state.k; state.playStart = performance.now(); }
  draw(true);
}

function onKey(event) {
  const target = event.target;
  const tag = target && target.tagName ? target.tagName.toLowerCase() : "";
  if (["input", "textarea", "select"].includes(tag) || (target && target.isContentEditable)) return;
  if (event.altKey || event.ctrlKey || event.metaKey || !state.run) return;
  if (event.key === "ArrowRight" && !state.playing) { event.preventDefault(); state.acted = true; goTo(state.k + 1); }
  else if (event.key === "ArrowLeft" && !state.playing) { event.preventDefault(); state.acted = true; goTo(state.k - 1); }
}

// What the user does (not what the server or the room does) is marked in the next report.
const byUser = (action) => (...values) => { state.acted = true; action(...values); };
$("step").addEventListener("click", byUser(() => goTo(state.k + 1)));
$("step10").addEventListener("click", byUser(() => goTo(state.k + 10)));
$("reset").addEventListener("click", byUser(() => { state.playing = false; goTo(0); }));
$("play").addEventListener("click", byUser(() => (state.playing ? pause() : play())));
$("scrub").addEventListener("input", byUser((event) => goTo(Number(event.target.value))));
$("speed").addEventListener("change", () => { state.playFrom = state.k; state.playStart = performance.now(); });
$("alpha").addEventListener("change", byUser((event) => chooseAlpha(Number(event.target.value))));
$("alpha-down").addEventListener("click", byUser(() => chooseAlpha(rateTimes(Number($("alpha").value), 0.1))));
$("alpha-up").addEventListener("click", byUser(() => chooseAlpha(rateTimes(Number($("alpha").value), 10))));
document.addEventListener("keydown", onKey);
try {
  // The arrow keys step from anywhere on the page, not only inside this frame.
  window.parent.document.addEventListener("keydown", onKey);
} catch (error) {
  // A parent from another origin: the keys work once this frame has the focus.
}

// --- rendering what the server sent -------------------------------------------------------------
function receiveRuns(args) {
  // The server's run and those it computed ahead, by learning rate. While a rate chosen here is
  // on its way to the server, a page drawn before it arrived still shows the old rate: keep
  // showing the chosen one.
  const runs = new Map();
  runs.set(args.alpha, state.run && state.run.revision === args.run.revision ? state.run : prepareRun(args.run, args.run_values));
  let row = 0;
  for (const meta of args.ahead) {
    const known = state.runs.get(meta.alpha);
    runs.set(meta.alpha, known && known.revision === meta.revision ? known : prepareRun(meta, args.ahead_values, row));
    row += meta.K + 1;
  }
  state.runs = runs;
  if (state.wantedAlpha === args.alpha) state.wantedAlpha = null;
  const alpha = state.wantedAlpha !== null ? state.wantedAlpha : args.alpha;
  return runs.get(alpha) || (state.run && state.run.alpha === alpha ? state.run : runs.get(args.alpha));
}

function render(args) {
  state.args = args;
  setUpControls(args);
  const run = receiveRuns(args);
  const newRun = run.revision !== state.revision;
  if (newRun) {
    const sameRun = state.run && run.base === state.run.base;
    // Only α changed: the run on show is among the server's runs, unchanged.
    const shown = state.run && state.runs.get(state.run.alpha);
    const sameSettings = Boolean(shown) && shown.revision === state.run.revision;
    state.run = run;
    state.revision = run.revision;
    state.waitingForMore = false;
    if (!sameRun && !sameSettings && state.playing) state.playing = false;
  }
  let withLines = false;
  if (args.figures_revision !== state.figuresRevision) {
    state.figuresRevision = args.figures_revision;
    buildCharts(args);
    state.drawn = null;
  } else if (newRun) {
    withLines = true;
  }
  if (newRun || args.figures_revision !== state.axesRevision) { state.axes = {}; state.axesRevision = args.figures_revision; }
  if (args.seek && args.seek.token !== state.seekToken) {
    state.seekToken = args.seek.token;
    state.k = args.seek.k;
  }
  if (state.target !== null && state.target <= state.run.K) { state.k = state.target; state.target = null; }
  else if (state.target !== null && !state.run.canContinue) state.target = null;
  state.k = Math.min(state.k, state.run.K);
  draw(withLines);
  if (state.playing && newRun) { state.playFrom = state.k; state.playStart = performance.now(); }
  askForRunsAhead(args);
  listenToRoom(args.room);
}

function playAlong(news) {
  const speed = $("speed");
  if ([...speed.options].some((option) => Number(option.value) === news.playing)) speed.value = String(news.playing);
  const k = Math.min(news.k, state.run.K);
  // Keep our own smooth count unless it drifted more than a second's worth from the teacher's.
  if (!state.playing || Math.abs(state.k - k) > news.playing) state.k = k;
  state.playFrom = state.k;
  state.playStart = performance.now();
  if (!state.playing) { state.playing = true; draw(); requestAnimationFrame(tick); }
}

// The teacher key stays in this browser (this site's storage), so that a reload of the teacher's
// page, which starts a new session, hands it back and the page leads the room again.
function keepTeacherKey(room) {
  if (!room || !room.code) return;
  const name = `logit-room-${room.code}`;
  try {
    if (room.teacher_key) { window.localStorage.setItem(name, room.teacher_key); return; }
    const kept = window.localStorage.getItem(name);
    if (kept && state.claimed !== room.code) { state.claimed = room.code; sendIteration({ room_claim: kept }); }
  } catch (error) { /* storage switched off: a reloaded teacher uses the teacher link */ }
}

// --- a student's page: the room's changes, pushed by the server ----------------------------
// The server sends {version, teacher, ended} when the teacher changes something or comes and
// goes; the view reports it, and the page takes the room's state (and sends the view anew
// where more than the iteration changed). The stream also counts this browser as present.
function listenToRoom(room) {
  keepTeacherKey(room);
  const key = room && room.events ? `${room.events}|${room.member}|${room.following ? 1 : 0}` : null;
  if (state.room && state.room.key !== key) { state.room.source.close(); state.room = null; }
  if (!key) return;
  if (state.room) { state.room.rest = room.rest; return; }
  // after=0: the stream first says where the room is; the page ignores a version it has.
  const query = `after=0&member=${encodeURIComponent(room.member)}&following=${room.following ? 1 : 0}`;
  const source = new EventSource(`${room.events}?${query}`);
  state.room = { source, key, version: 0, teacher: null, rest: room.rest };
  // The browser reconnects by itself after a dropped stream, but not after a refusal (rooms
  // unavailable, the server restarting): then try again every few seconds.
  source.onerror = () => {
    if (source.readyState !== EventSource.CLOSED || !state.room || state.room.source !== source) return;
    state.room = null;
    setTimeout(() => { if (!state.room) listenToRoom(state.args.room); }, 5000);
  };
  source.onmessage = (event) => {
    let news;
    try { news = JSON.parse(event.data); } catch (error) { return; }
    const mine = state.room;
    if (!mine || mine.source !== source) return;
    if (news.error) {  // the room is gone or unavailable: tell the page once; the stream retries
      if (news.error !== mine.error) { mine.error = news.error; sendIteration({ room: news }); }
      return;
    }
    mine.error = null;
    const newer = Number(news.version) > mine.version;
    const teacherChanged = mine.teacher !== null && news.teacher !== mine.teacher;
    mine.teacher = news.teacher === undefined ? mine.teacher : news.teacher;
    if (newer || teacherChanged) {
      if (newer) mine.version = Number(news.version);
      if (!room.following) return;
      if (newer && news.rest === mine.rest && Number.isInteger(news.k)) {
        // The teacher plays: play along here, at the teacher's speed, without asking the page.
        if (news.playing) { playAlong(news); return; }
        // Only the iteration changed: move at once, as a Step does, and tell the page after.
        if (news.k <= state.run.K && (news.k !== state.k || state.playing)) {
          state.playing = false;
          state.k = news.k;
          sendIteration({ room: news });
          setTimeout(() => setTimeout(draw, 0), 0);
          return;
        }
      }
      sendIteration({ room: news });
    }
  };
}

// Plotly arrives once, from where the server says (the partial bundle when it was fetched);
// every render waits for it, in the order the messages came.
let plotlyLoaded = null;
function loadPlotly(url) {
  if (!plotlyLoaded) {
    plotlyLoaded = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => { window.logitPlotlyLoaded = performance.now(); resolve(); }; // benchmarks read it
      script.onerror = () => reject(new Error(`Plotly could not be loaded from ${url}`));
      document.head.appendChild(script);
    });
  }
  return plotlyLoaded;
}

window.addEventListener("message", (event) => {
  const message = event.data;
  if (message && message.type === "streamlit:render") {
    const args = message.args;
    loadPlotly(args.plotly).then(() => render(args));
  }
});
new ResizeObserver(() => Streamlit.setHeight(Math.ceil(document.documentElement.scrollHeight))).observe($("player"));
// The frame's width follows the page's; the presenter's charts also follow the screen's height.
let lastSize = "";
function onScreenChange() {
  const size = `${window.innerWidth}x${screenHeight()}`;
  if (size !== lastSize) { lastSize = size; resizeCharts(); }
}
window.addEventListener("resize", onScreenChange);
try { window.parent.addEventListener("resize", onScreenChange); } catch (error) { /* another origin */ }
Streamlit.ready();
