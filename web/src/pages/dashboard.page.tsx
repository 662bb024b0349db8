import { useMemo, useState } from 'react';
import { api, describeError } from '../api/client';
import { bucketKey, field, text, type Doc, type FacetBucket } from '../api/types';
import { useAsync } from '../components/async';
import { EChart, type ChartOption } from '../components/echart';
import { useI18n } from '../i18n/i18n';

const RANGES = {
  '24h': [24 * 3600e3, 'hour'],
  '7d': [7 * 86400e3, 'day'],
  '30d': [30 * 86400e3, 'day'],
} as const;
type Range = keyof typeof RANGES;
const COLORS = ['#1f5fa8', '#d9822b', '#2e8b57', '#b03a2e', '#6c5ce7', '#17a2b8', '#8d6e63', '#7f8c8d'];

function buckets(data: Doc | undefined, ...names: string[]): Array<{ key: string; count: number }> {
  const list = field<unknown>(data, ...names);
  if (!Array.isArray(list)) return [];
  return (list as Array<FacetBucket & { name?: string; advertiser?: string }>).map((b) => ({
    key: b.name ?? b.advertiser ?? bucketKey(b),
    count: Number(b.count ?? 0),
  }));
}

function barOption(
  rows: Array<{ key: string; count: number }>,
  horizontal: boolean,
  color: string,
): ChartOption {
  const keys = rows.map((r) => r.key);
  const category = {
    type: 'category',
    data: horizontal ? [...keys].reverse() : keys,
    axisLabel: { width: 140, overflow: 'truncate' },
  };
  const values = { type: 'value', minInterval: 1 };
  return {
    color: [color],
    tooltip: { trigger: 'axis' },
    grid: { left: horizontal ? 150 : 40, right: 16, top: 16, bottom: 40 },
    xAxis: horizontal ? values : category,
    yAxis: horizontal ? category : values,
    series: [
      { type: 'bar', data: (horizontal ? [...rows].reverse() : rows).map((r) => r.count), barMaxWidth: 28 },
    ],
  };
}

export function DashboardPage() {
  const { t, formatDate } = useI18n();
  const [range, setRange] = useState<Range>('7d');
  const stats = useAsync(
    (signal) => {
      const [spanMs, interval] = RANGES[range];
      const to = new Date();
      const from = new Date(to.getTime() - spanMs);
      return api<Doc>('/api/stats/overview', {
        query: { from: from.toISOString(), to: to.toISOString(), interval },
        signal,
      });
    },
    [range],
  );
  const data = stats.data;
  const options = useMemo(() => {
    const over = field<Doc[]>(data, 'hitsOverTime', 'hits_over_time') ?? [];
    const categories = buckets(data, 'byCategory', 'by_category');
    return {
      hits: {
        color: [COLORS[0]],
        tooltip: { trigger: 'axis' },
        grid: { left: 40, right: 16, top: 16, bottom: 40 },
        xAxis: { type: 'category', data: over.map((p) => formatDate(field(p, 't', 'time', 'key'))) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'line',
            areaStyle: { opacity: 0.15 },
            smooth: false,
            data: over.map((p) => Number(p.count ?? 0)),
          },
        ],
      } as ChartOption,
      category: {
        color: COLORS,
        tooltip: { trigger: 'item' },
        legend: { bottom: 0, type: 'scroll' },
        series: [
          {
            type: 'pie',
            radius: ['40%', '68%'],
            center: ['50%', '45%'],
            data: categories.map((c) => ({ name: c.key, value: c.count })),
          },
        ],
      },
      district: barOption(buckets(data, 'byDistrict', 'by_district'), false, COLORS[1] ?? '#d9822b'),
      advertisers: barOption(
        buckets(data, 'topAdvertisers', 'top_advertisers').slice(0, 10),
        true,
        COLORS[2] ?? '#2e8b57',
      ),
    };
  }, [data, formatDate]);
  const health = field<Doc>(data, 'crawlHealth', 'crawl_health');
  const queue = field<Doc>(health, 'queue');

  const rows = {
    hits: (field<Doc[]>(data, 'hitsOverTime', 'hits_over_time') ?? []).length,
    category: buckets(data, 'byCategory', 'by_category').length,
    district: buckets(data, 'byDistrict', 'by_district').length,
    advertisers: buckets(data, 'topAdvertisers', 'top_advertisers').length,
  };
  const panels = [
    ['dashboard.hitsOverTime', options.hits, rows.hits],
    ['dashboard.byCategory', options.category, rows.category],
    ['dashboard.byDistrict', options.district, rows.district],
    ['dashboard.topAdvertisers', options.advertisers, rows.advertisers],
  ] as const;

  return (
    <section aria-labelledby="dashboard-title">
      <div className="toolbar">
        <h1 id="dashboard-title" className="grow">
          {t('dashboard.title')}
        </h1>
        <div className="tabs" role="group" aria-label={t('dashboard.range')}>
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button key={r} type="button" aria-pressed={range === r} onClick={() => setRange(r)}>
              {t(`dashboard.range.${r}`)}
            </button>
          ))}
        </div>
      </div>
      {stats.error !== undefined && (
        <p className="notice notice-error" role="alert">
          {t('dashboard.unavailable', { message: describeError(stats.error) })}
        </p>
      )}
      <div className="figures-row" role="group" aria-label={t('dashboard.crawlHealth')}>
        {(
          [
            ['dashboard.fetched', field(health, 'fetched')],
            ['dashboard.failed', field(health, 'failed')],
            ['dashboard.queued', field(queue, 'waiting', 'queued', 'pending')],
            ['dashboard.lastHour', field(health, 'lastHour', 'last_hour')],
          ] as const
        ).map(([key, value]) => (
          <div key={key} className="figure card">
            <span className="muted">{t(key)}</span>
            <output aria-label={t(key)}>
              {value === undefined
                ? '—'
                : typeof value === 'object'
                  ? text(value as Doc, 'fetched', 'count')
                  : String(value as number)}
            </output>
          </div>
        ))}
      </div>
      <div className="panels">
        {panels.map(([key, option, count]) => (
          <div key={key} className="card panel">
            <h2>{t(key)}</h2>
            {data && count === 0 ? (
              <p className="notice chart-empty">{t('app.empty')}</p>
            ) : (
              <EChart option={option} label={t('dashboard.chart', { name: t(key) })} />
            )}
          </div>
        ))}
      </div>
    </section>
  );
}
