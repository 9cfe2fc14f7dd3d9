export * from './api-keys';
export * from './custom-prices';
export * from './executions';
export * from './project-members';
export * from './projects';
export * from './prompts';
export * from './sessions';
export * from './users';
