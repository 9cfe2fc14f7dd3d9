import { lazy } from 'react';

// recharts lives in its own chunk, fetched the first time a chart renders, so pages without charts
// (the Logs tab, the Prompts list) never download it.
const load = () => import('./charts');
export const ColumnChart = lazy(() => load().then((module) => ({ default: module.ColumnChart })));
export const CategoryChart = lazy(() => load().then((module) => ({ default: module.CategoryChart })));
export const TrendChart = lazy(() => load().then((module) => ({ default: module.TrendChart })));
