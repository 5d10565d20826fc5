import { AddressInfo } from 'node:net';
import * as restify from 'restify';
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';

// The baseline: a bare botbuilder echo bot on the same stack as @lendos (CloudAdapter + restify,
// no authentication), replying with the text it got. Run as a child process by bench.ts:
//   PORT=0 node dist/bench/echo-bot.js   → prints {"msg":"echo listening","port":N}

async function main(): Promise<void> {
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant' }),
  );
  adapter.onTurnError = async (context, error) => {
    process.stderr.write(`echo turn failed: ${error instanceof Error ? error.message : String(error)}\n`);
    await context.sendActivity('echo failed').catch(() => undefined);
  };

  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: 256 * 1024, mapParams: false }));
  server.post('/api/messages', async (req, res) => {
    await adapter.process(req, res, async (context) => {
      if (context.activity.type === ActivityTypes.Message) await context.sendActivity(context.activity.text ?? '');
    });
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });

  const port = Number(process.env.PORT ?? 0);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  process.stdout.write(`${JSON.stringify({ msg: 'echo listening', port: (server.address() as AddressInfo).port })}\n`);

  const shutdown = () => {
    server.close(() => process.exit(0));
    server.server.closeIdleConnections();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  process.stderr.write(`echo bot failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
