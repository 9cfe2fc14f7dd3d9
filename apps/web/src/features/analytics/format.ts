import { formatCost, formatLatency, formatPercent } from '../../lib/format';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** Axis and tooltip formats: short, since they sit beside the bars; costs and latencies read as everywhere else. */
export const axisCount = (value: number): string => compact.format(value);
export const axisCost = (value: number): string => formatCost(value, 'catalog');
export const axisLatency = (value: number): string => formatLatency(value);
export const axisPercent = (value: number): string => formatPercent(value);
