// Nest providers for publishing: one kafkajs client and idempotent producer per service, and the
// outbox relay that feeds it. The relay starts once the app is up and stops before the producer
// disconnects, so a publish in flight is finished (or its rows released) before exit. Nest closes the
// HTTP server and the consumers after that; rows their last requests and batches commit are released
// by the relay at once, for the next relay to poll.
import { BeforeApplicationShutdown, InjectionToken, OnApplicationBootstrap, OnApplicationShutdown, Provider } from '@nestjs/common';
import { createKafkaClient, KafkaClientSettings } from './create-kafka-client';
import { EventPublisher } from './event-publisher';
import { OutboxRelay, OutboxRelayOptions, OutboxSource } from './outbox-relay';

class ManagedPublisher extends EventPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Connect early so the first event does not pay for it; a broker that is down only delays events. */
  onApplicationBootstrap(): void {
    this.connect().catch((error: Error) => this.logger.warn(`producer not connected yet: ${error.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.disconnect();
  }
}

class ManagedOutboxRelay extends OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }
}

export function messagingProviders(options: {
  configToken: InjectionToken;
  select: (config: never) => KafkaClientSettings;
  /** The provider token of the service's outbox (an OutboxSource, e.g. libs/database OutboxStore). */
  outboxToken: InjectionToken;
  relay?: Partial<OutboxRelayOptions>;
}): Provider[] {
  return [
    {
      provide: EventPublisher,
      inject: [options.configToken],
      useFactory: (config: never) => new ManagedPublisher(createKafkaClient(options.select(config))),
    },
    {
      provide: OutboxRelay,
      inject: [options.outboxToken, EventPublisher],
      useFactory: (outbox: OutboxSource, publisher: EventPublisher) =>
        new ManagedOutboxRelay(outbox, publisher, options.relay),
    },
  ];
}
