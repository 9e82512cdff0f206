export { createApiClient } from './createApiClient';
export { installApiClient, useApiClient } from './apiClient';
export { describeError } from './describeError';
