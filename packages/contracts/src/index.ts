export * from './analytics';
export * from './auth';
export * from './common';
export * from './execution';
export * from './executions-query';
export * from './prices';
