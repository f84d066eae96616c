/**
 * A line chart (one line per series over the same days) drawn by echarts, the style guide's chart
 * library: hovering a day shows every series' value that day, the legend turns a series off and on,
 * and the day axis shows as many labels as fit without overlapping (the first and last always).
 */
import { LineChart as EchartsLine } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([EchartsLine, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

const COLORS = ['#1677ff', '#52c41a', '#fa8c16', '#eb2f96', '#722ed1', '#13c2c2', '#faad14'];

export interface ChartSeries {
  name: string;
  values: number[];
}

export function LineChart(props: { title: string; days: string[]; series: ChartSeries[]; format?: (v: number) => string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { title, days, series, format } = props;

  useEffect(() => {
    const el = box.current!;
    const instance = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = instance;
    // The chart follows its column's width (the page's grid changes with the window).
    const resize = new ResizeObserver(() => instance.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  // Drawn again only when the figures change: a re-render of the page keeps the legend's choice.
  const figures = JSON.stringify([days, series]);
  const formatRef = useRef(format);
  formatRef.current = format;
  useEffect(() => {
    const [days, series] = JSON.parse(figures) as [string[], ChartSeries[]];
    const show = formatRef.current ?? ((v: number) => v.toLocaleString('zh-CN'));
    chart.current?.setOption(
      {
        color: COLORS,
        animation: false,
        grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
        legend: { top: 0, type: 'scroll' },
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: unknown) => (typeof v === 'number' ? show(v) : String(v)),
        },
        xAxis: {
          type: 'category',
          boundaryGap: false,
          data: days.map((d) => d.slice(5)),
          // Labels that would overlap are left out; the first and the last day always show.
          axisLabel: { hideOverlap: true, showMinLabel: true, showMaxLabel: true },
        },
        yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => show(v) } },
        series: series.map((s) => ({ name: s.name, type: 'line', data: s.values, showSymbol: days.length <= 31, symbolSize: 5 })),
      },
      { notMerge: true },
    );
  }, [figures]);

  return (
    <figure style={{ margin: 0 }} data-testid={props.testId}>
      <figcaption style={{ fontWeight: 600, marginBottom: 4 }}>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} style={{ width: '100%', height: 280 }} />
    </figure>
  );
}
