import { loadOrderServiceConfig } from './order-service.config';

describe('loadOrderServiceConfig', () => {
  it('defaults to port 3001, localhost:9092 and an embedded database under .local', () => {
    const config = loadOrderServiceConfig({});
    expect(config.port).toBe(3001);
    expect(config.kafkaBrokers).toEqual(['localhost:9092']);
    expect(config.database).toMatchObject({ driver: 'pglite', schema: 'order_service' });
    expect(config.database.driver === 'pglite' && config.database.dataDir).toMatch(/\.local\/order-service\/db$/);
  });

  it('defaults to 1000 requests per second on POST /orders and a 64kb body limit', () => {
    const config = loadOrderServiceConfig({});
    expect(config.ordersRateLimit).toBe(1000);
    expect(config.httpBodyLimit).toBe('64kb');
  });

  it('takes ORDERS_RATE_LIMIT and HTTP_BODY_LIMIT from the environment', () => {
    const config = loadOrderServiceConfig({ ORDERS_RATE_LIMIT: '5', HTTP_BODY_LIMIT: '1mb' });
    expect(config.ordersRateLimit).toBe(5);
    expect(config.httpBodyLimit).toBe('1mb');
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadOrderServiceConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' });
    expect(config.database).toEqual({ driver: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test', schema: 'order_service' });
  });

  it.each([
    [{ KAFKA_BROKERS: 'localhost' }, /KAFKA_BROKERS/],
    [{ PORT: 'x' }, /PORT must be a port number/],
    [{ DATABASE_URL: 'mysql://db' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ ORDERS_RATE_LIMIT: '0' }, /ORDERS_RATE_LIMIT must be a positive integer/],
    [{ ORDERS_RATE_LIMIT: '-5' }, /ORDERS_RATE_LIMIT must be a positive integer/],
    [{ ORDERS_RATE_LIMIT: '2.5' }, /ORDERS_RATE_LIMIT must be a positive integer/],
    [{ ORDERS_RATE_LIMIT: 'lots' }, /ORDERS_RATE_LIMIT must be a positive integer/],
    [{ HTTP_BODY_LIMIT: '64' }, /HTTP_BODY_LIMIT must be a size in kb or mb/],
    [{ HTTP_BODY_LIMIT: '1gb' }, /HTTP_BODY_LIMIT must be a size in kb or mb/],
    [{ HTTP_BODY_LIMIT: '0kb' }, /HTTP_BODY_LIMIT must be a size in kb or mb/],
    [{ HTTP_BODY_LIMIT: '64KB' }, /HTTP_BODY_LIMIT must be a size in kb or mb/],
  ])('refuses %j with a message naming the variable', (env, message) => {
    expect(() => loadOrderServiceConfig(env)).toThrow(message);
  });
});
