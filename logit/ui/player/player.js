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
const CHARTS = ["data", "weights", "gradients", "loss"];
const SYNC_DELAY_MS = 250; // a burst of Steps tells the server once
const SESSION = Math.random().toString(36).slice(2);

const state = {
  args: null,
  run: null, // arrays of the run: params, original, gradients, loss, accuracy; K = last iteration
  revision: null, // changes when the run or the figures change
  k: 0,
  target: null, // an iteration past the end, waiting for the server to compute it
  playing: false,
  playFrom: 0, // iteration and time Play (re)started from
  playStart: 0,
  seekToken: null,
  nonce: 0,
  syncTimer: null,
  waitingForMore: false,
  traces: {}, // chart -> {meta: trace index}
  zoomed: {}, // chart -> the user has zoomed or panned it
  framesDrawn: 0, // for the benchmark: redraws since load
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

function dataUpdate(k) {
  const { grid, points, box } = state.args;
  const [w1, w2, b] = state.run.original[k];
  const z = grid.x2.map((x2) => grid.x1.map((x1) => {
    const score = w1 * x1 + w2 * x2 + b;
    return sigmoid(Number.isNaN(score) ? 0 : score); // inf·0 where the line is undefined: ŷ = ½
  }));
  const wrong = { x: [], y: [], customdata: [] };
  for (let i = 0; i < points.x1.length; i++) {
    const positive = w1 * points.x1[i] + w2 * points.x2[i] + b >= 0;
    if (positive !== (points.y[i] === 1)) {
      wrong.x.push(points.x1[i]); wrong.y.push(points.x2[i]); wrong.customdata.push(points.index[i]);
    }
  }
  const line = separatingLine(w1, w2, b, box);
  const t = state.traces.data;
  const traces = [t.heatmap, t.mistakes, t.boundary];
  const update = {
    z: [z, undefined, undefined],
    x: [undefined, wrong.x, line ? [line[0][0], line[1][0]] : []],
    y: [undefined, wrong.y, line ? [line[0][1], line[1][1]] : []],
    customdata: [undefined, wrong.customdata, undefined],
  };
  return { update, traces };
}

function historyUpdate(values, k) {
  // values: K+1 rows of m numbers; traces "line:j" and "marker:j"
  const x = state.run.iterations.slice(0, k + 1);
  const update = { x: [], y: [] };
  const traces = [];
  const t = state.traces;
  const m = values[0].length;
  for (let j = 0; j < m; j++) {
    update.x.push(x, [k]);
    const column = new Array(k + 1);
    for (let i = 0; i <= k; i++) column[i] = values[i][j];
    update.y.push(column, [values[k][j]]);
    traces.push(`line:${j}`, `marker:${j}`);
  }
  return { update, traces };
}

function drawCharts(k) {
  const run = state.run;
  const data = dataUpdate(k);
  Plotly.restyle($("chart-data"), data.update, data.traces);
  for (const [name, values] of [["weights", run.params], ["gradients", run.gradients]]) {
    const h = historyUpdate(values, k);
    Plotly.update($(`chart-${name}`), h.update, historyLayout(name, k), h.traces.map((meta) => state.traces[name][meta]));
  }
  const x = run.iterations.slice(0, k + 1);
  const t = state.traces.loss;
  Plotly.update($("chart-loss"), {
    x: [x, x, [k]], y: [run.loss.slice(0, k + 1), run.accuracy.slice(0, k + 1), [run.loss[k]]],
  }, historyLayout("loss", k), [t.loss, t.accuracy, t.marker]);
}

function historyLayout(name, k) {
  // The iteration line moves; the x axis grows with the run unless the user has zoomed
  // (then their view stays until they double-click to reset it).
  const layout = { "shapes[0].x0": k, "shapes[0].x1": k };
  if (!state.zoomed[name]) layout["xaxis.range"] = [0, Math.max(k, 10) * 1.02];
  return layout;
}

function watchZoom(name, element) {
  element.on("plotly_relayout", (change) => {
    if (!change) return;
    if (change["xaxis.autorange"] || change["yaxis.autorange"]) state.zoomed[name] = false;
    else if (Object.keys(change).some((key) => key.startsWith("xaxis.range") || key.startsWith("yaxis.range"))) {
      state.zoomed[name] = true;
    }
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
  if (run.status === "diverged" && k >= K) [kind, message] = ["warning", texts.diverged];
  else if (run.status === "converged" && k >= K) [kind, message] = ["success", texts.converged];
  else if (state.playing) message = texts.playing;
  else if (k >= K && texts.rising) [kind, message] = ["warning", texts.rising];
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
}

function setDelta(element, text, good, bad) {
  element.textContent = text;
  element.className = `delta${text && good ? " good" : ""}${text && bad ? " bad" : ""}`;
}

function draw() {
  drawText(state.k);
  drawCharts(state.k);
  state.framesDrawn += 1;
  document.body.dataset.iteration = String(state.k); // what tests wait for
}

// --- moving through the run -----------------------------------------------------------------
function goTo(k, { sync = true } = {}) {
  const run = state.run;
  if (k > run.K && run.canContinue) {
    state.target = k;
    requestMore();
    k = run.K;
  }
  state.k = Math.max(0, Math.min(k, run.K));
  draw();
  if (sync) scheduleSync();
}

function scheduleSync() {
  clearTimeout(state.syncTimer);
  state.syncTimer = setTimeout(sendIteration, SYNC_DELAY_MS);
}

function sendIteration(extra = {}) {
  clearTimeout(state.syncTimer);
  state.nonce += 1;
  const nonce = `${SESSION}:${state.nonce}`; // unique even if this frame is created again
  Streamlit.setValue(Object.assign({ k: state.k, nonce, revision: state.revision }, extra));
}

function requestMore() {
  if (state.waitingForMore) return;
  state.waitingForMore = true;
  sendIteration({ more: true });
}

function play() {
  if (state.k >= state.run.K && !state.run.canContinue) return;
  state.playing = true;
  state.playFrom = state.k;
  state.playStart = performance.now();
  draw();
  requestAnimationFrame(tick);
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
    if (k !== state.k) { state.k = k; draw(); }
    if (state.k >= run.K && !run.canContinue) { pause(); return; }
    if (state.k >= run.K) { state.playFrom = state.k; state.playStart = now; } // wait for more, then go on
  }
  requestAnimationFrame(tick);
}

// --- building the charts from the server's figures ---------------------------------------------
function findTraces(figure) {
  const found = {};
  figure.data.forEach((trace, i) => { if (trace.meta !== undefined) found[trace.meta] = i; });
  return found;
}

function buildCharts(args) {
  for (const name of CHARTS) {
    const figure = args.figures[name];
    const layout = Object.assign({}, figure.layout, { uirevision: args.uirevision[name] });
    state.traces[name] = findTraces(figure);
    const element = $(`chart-${name}`);
    element.setAttribute("aria-label", args.alt[name]);
    Plotly.react(element, figure.data, layout, Object.assign({ responsive: true, displaylogo: false }, args.configs[name]));
    if (!element.dataset.watched) { element.dataset.watched = "1"; watchZoom(name, element); }
  }
  const chart = $("chart-data");
  if (!chart.dataset.listening) {
    chart.dataset.listening = "1";
    chart.on("plotly_click", onDataClick);
  }
}

function onDataClick(event) {
  const point = event && event.points && event.points[0];
  if (!point) return;
  let index = point.customdata;
  if (Array.isArray(index)) index = index.length ? index[0] : null;
  sendIteration({
    click: {
      mode: state.args.click_mode, x: Number(point.x), y: Number(point.y),
      index: Number.isInteger(index) ? index : null,
    },
  });
}

const RUN_WIDTH = 11; // columns of run_values, as logit.ui.player.RUN_COLUMNS

function prepareRun(args) {
  const run = Object.assign({}, args.run);
  const bytes = args.run_values;
  const values = new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const n = run.K + 1;
  run.params = []; run.original = []; run.gradients = [];
  run.loss = new Array(n); run.accuracy = new Array(n); run.iterations = new Array(n);
  for (let i = 0; i < n; i++) {
    const row = values.subarray(i * RUN_WIDTH, (i + 1) * RUN_WIDTH);
    run.params.push([row[0], row[1], row[2]]);
    run.original.push([row[3], row[4], row[5]]);
    run.gradients.push([row[6], row[7], row[8]]);
    run.loss[i] = row[9]; run.accuracy[i] = row[10]; run.iterations[i] = i;
  }
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
  $("scrub").title = texts.scrub_help;
  $("n-loss").textContent = texts.loss;
  $("n-acc").textContent = texts.accuracy;
  $("sampled").textContent = texts.sampled || "";
  document.documentElement.lang = args.language;
  document.documentElement.style.setProperty("--scale", String(args.scale));
  const speed = $("speed");
  const chosen = speed.value || String(args.speed);
  speed.replaceChildren(...args.speeds.map((s) => new Option(fill(texts.speed_value, { n: s }), String(s))));
  speed.value = args.speeds.map(String).includes(chosen) ? chosen : String(args.speed);
}

function onKey(event) {
  const target = event.target;
  const tag = target && target.tagName ? target.tagName.toLowerCase() : "";
  if (["input", "textarea", "select"].includes(tag) || (target && target.isContentEditable)) return;
  if (event.altKey || event.ctrlKey || event.metaKey || !state.run) return;
  if (event.key === "ArrowRight" && !state.playing) { event.preventDefault(); goTo(state.k + 1); }
  else if (event.key === "ArrowLeft" && !state.playing) { event.preventDefault(); goTo(state.k - 1); }
}

$("step").addEventListener("click", () => goTo(state.k + 1));
$("step10").addEventListener("click", () => goTo(state.k + 10));
$("reset").addEventListener("click", () => { state.playing = false; goTo(0); });
$("play").addEventListener("click", () => (state.playing ? pause() : play()));
$("scrub").addEventListener("input", (event) => goTo(Number(event.target.value)));
$("speed").addEventListener("change", () => { state.playFrom = state.k; state.playStart = performance.now(); });
document.addEventListener("keydown", onKey);
try {
  // The arrow keys step from anywhere on the page, not only inside this frame.
  window.parent.document.addEventListener("keydown", onKey);
} catch (error) {
  // A parent from another origin: the keys work once this frame has the focus.
}

// --- rendering what the server sent -------------------------------------------------------------
function render(args) {
  state.args = args;
  setUpControls(args);
  const newRun = args.revision !== state.revision;
  if (newRun) {
    const sameRun = state.run && args.run.base === state.run.base;
    state.run = prepareRun(args);
    state.revision = args.revision;
    buildCharts(args);
    state.waitingForMore = false;
    if (!sameRun && state.playing) state.playing = false;
  }
  if (args.seek && args.seek.token !== state.seekToken) {
    state.seekToken = args.seek.token;
    state.k = args.seek.k;
  }
  if (state.target !== null && state.target <= state.run.K) { state.k = state.target; state.target = null; }
  else if (state.target !== null && !state.run.canContinue) state.target = null;
  state.k = Math.min(state.k, state.run.K);
  draw();
  if (state.playing && newRun) { state.playFrom = state.k; state.playStart = performance.now(); }
}

window.addEventListener("message", (event) => {
  const message = event.data;
  if (message && message.type === "streamlit:render") render(message.args);
});
new ResizeObserver(() => Streamlit.setHeight(Math.ceil(document.documentElement.scrollHeight))).observe($("player"));
Streamlit.ready();
