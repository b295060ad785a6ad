// Small hand-written SVG line charts and the rate history they draw. No library, no canvas.

const SVG = 'http://www.w3.org/2000/svg';

/** Keeps the last `size` samples of per-second rates computed from monotonic counts. */
export class RateHistory {
  constructor(size) {
    this.size = size;
    this.entries = new Map(); // key -> { t, counts, series: { measure: [rates] } }
  }

  /**
   * Records counts seen at time t (ms) and returns the rates since the previous sample, or the fallback
   * rates (the server's one-minute averages) for a first sample.
   */
  add(key, t, counts, measures, fallback) {
    let e = this.entries.get(key);
    if (!e) {
      e = { t: null, counts: null, series: {} };
      measures.forEach((m) => { e.series[m] = []; });
      this.entries.set(key, e);
    }
    const rates = {};
    for (const m of measures) {
      let rate;
      if (e.t !== null && t > e.t && counts[m] !== undefined && e.counts[m] !== undefined) {
        rate = Math.max(0, counts[m] - e.counts[m]) / ((t - e.t) / 1000);
      } else {
        rate = (fallback && fallback[m + 'PerSecond']) || 0;
      }
      rates[m] = rate;
      const s = e.series[m];
      s.push(rate);
      if (s.length > this.size) {
        s.shift();
      }
    }
    e.t = t;
    e.counts = counts;
    return rates;
  }

  series(key) {
    const e = this.entries.get(key);
    return e ? e.series : {};
  }

  /** Forgets keys that are not in `alive` (deleted destinations). */
  retain(alive) {
    for (const key of [...this.entries.keys()]) {
      if (!alive.has(key)) {
        this.entries.delete(key);
      }
    }
  }
}

function el(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) {
    node.setAttribute(k, String(v));
  }
  return node;
}

/**
 * Draws one polyline per series (measure -> values) into `container`, all on one scale starting at 0.
 * `size` is the number of samples the x axis holds. Returns the top of the scale (at least 1).
 */
export function lineChart(container, series, size, width, height) {
  const max = Math.max(1, ...Object.values(series).flat());
  const svg = el('svg', { viewBox: `0 0 ${width} ${height}`, width, height, preserveAspectRatio: 'none', role: 'img' });
  svg.appendChild(el('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'axis' }));
  const top = 2;
  for (const [measure, values] of Object.entries(series)) {
    if (values.length === 0) {
      continue;
    }
    const step = width / Math.max(1, size - 1);
    const offset = (size - values.length) * step;
    const points = values.map((v, i) => {
      const x = offset + i * step;
      const y = height - 1 - (v / max) * (height - 1 - top);
      return x.toFixed(1) + ',' + y.toFixed(1);
    });
    svg.appendChild(el('polyline', { points: points.join(' '), class: 'line ' + measure }));
  }
  const title = el('title', {});
  title.textContent = Object.entries(series)
    .map(([m, v]) => m + ' ' + formatRate(v.length ? v[v.length - 1] : 0) + '/s').join(', ');
  svg.appendChild(title);
  container.replaceChildren(svg);
  return max;
}

export function formatRate(r) {
  if (r >= 100) {
    return Math.round(r).toLocaleString('en');
  }
  return r.toFixed(r >= 10 ? 1 : 2);
}
