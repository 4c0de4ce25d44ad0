// inventory-service entry point: validate configuration (exit with one line if bad), then start.
import 'reflect-metadata';
import { loadConfigOrExit, runService } from '@platform/service-runtime';
import { loadInventoryServiceConfig } from './config/inventory-service.config';
import { startInventoryService } from './start-inventory-service';

const config = loadConfigOrExit('inventory-service', () => loadInventoryServiceConfig());
runService(() => startInventoryService(config), 'inventory-service');
