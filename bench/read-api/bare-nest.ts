// The baseline of the read bench: a bare NestJS app (Express, no middleware, no guard, no
// database) answering a fixed body the size of the platform's answer, in a process of its own.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const main = async () => {
  const bodies = await new Promise<{ task: unknown; list: unknown }>((resolve) =>
    process.once('message', (m: { type: string; bodies: { task: unknown; list: unknown } }) => resolve(m.bodies)),
  );

  @Controller('bare')
  class BareController {
    @Get(':name')
    answer(): unknown {
      return bodies.task; // serialised by Nest on every request, as the platform's answers are
    }

    @Get(':name/list')
    list(): unknown {
      return bodies.list;
    }
  }

  @Module({ controllers: [BareController] })
  class BareModule {}

  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  process.on('message', (m: { type: string }) => m.type === 'stop' && void app.close().then(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}` });
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
