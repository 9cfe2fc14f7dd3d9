import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ExecutionEventBus } from '../features/live/execution-events';

declare module 'fastify' {
  interface FastifyInstance {
    executionEvents: ExecutionEventBus;
  }
}

export const liveEventsPlugin = fp(
  async (app: FastifyInstance) => {
    const bus = new ExecutionEventBus(app.database, (error) => app.log.warn({ err: error }, 'live events failed'));
    await bus.start();
    app.decorate('executionEvents', bus);
    app.addHook('onClose', () => bus.stop());
  },
  { name: 'live-events', dependencies: ['config'] },
);
