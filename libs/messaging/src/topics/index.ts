export * from './topic-plan';
export * from './plan-topics';
export * from './apply-topic-plan';
export * from './provision-topics';
