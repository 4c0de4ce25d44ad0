export * from './stock-reserved.v1';
export * from './stock-rejected.v1';
