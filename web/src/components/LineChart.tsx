/**
 * A small SVG line chart (one line per series over the same days): enough for
 * the application centre's trends without a charting library.
 */
const COLORS = ['#1677ff', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1'];

export interface ChartSeries {
  name: string;
  values: number[];
}

export function LineChart(props: { title: string; days: string[]; series: ChartSeries[]; format?: (v: number) => string; testId?: string }) {
  const width = 760;
  const height = 240;
  const pad = { left: 70, right: 16, top: 16, bottom: 36 };
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const n = props.days.length;
  const x = (i: number) => pad.left + (n <= 1 ? 0 : (i * (width - pad.left - pad.right)) / (n - 1));
  const y = (v: number) => pad.top + (height - pad.top - pad.bottom) * (1 - v / max);
  const format = props.format ?? ((v: number) => String(v));
  const ticks = [0, 0.5, 1].map((f) => max * f);
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  return (
    <figure style={{ margin: 0 }} data-testid={props.testId}>
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={props.title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} stroke="#eee" />
            <text x={pad.left - 6} y={y(t) + 4} fontSize="11" textAnchor="end" fill="#888">
              {format(Math.round(t))}
            </text>
          </g>
        ))}
        {props.days.map((d, i) =>
          i % labelEvery === 0 || i === n - 1 ? (
            <text key={d} x={x(i)} y={height - 12} fontSize="11" textAnchor="middle" fill="#888">
              {d.slice(5)}
            </text>
          ) : null,
        )}
        {props.series.map((s, k) => (
          <polyline
            key={s.name}
            data-series={s.name}
            fill="none"
            stroke={COLORS[k % COLORS.length]}
            strokeWidth={2}
            points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          >
            <title>{s.name}</title>
          </polyline>
        ))}
      </svg>
      <div style={{ display: 'flex', gap: 16, fontSize: 12 }}>
        {props.series.map((s, k) => (
          <span key={s.name}>
            <span style={{ display: 'inline-block', width: 12, height: 3, background: COLORS[k % COLORS.length], marginRight: 4, verticalAlign: 'middle' }} />
            {s.name}
          </span>
        ))}
      </div>
    </figure>
  );
}
