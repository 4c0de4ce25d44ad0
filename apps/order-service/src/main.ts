// order-service entry point: validate configuration (exit with one line if bad), then start.
import 'reflect-metadata';
import { loadConfigOrExit, runService } from '@platform/service-runtime';
import { loadOrderServiceConfig } from './config/order-service.config';
import { startOrderService } from './start-order-service';

const config = loadConfigOrExit('order-service', () => loadOrderServiceConfig());
runService(() => startOrderService(config), 'order-service');
