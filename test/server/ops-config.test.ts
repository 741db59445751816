import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createServer } from '../../server/app';
import { configFromEnv, resolveConfig } from '../../server/config';
import { quietLogger } from '../../server/logger';

// The operations and file-storage settings as an operator writes them in the environment.

describe('configuration: operations and file storage from the environment', () => {
  it('reads the S3, metrics, log and shutdown variables', () => {
    const config = resolveConfig(
      configFromEnv({
        SWITCHBOARD_FILES_URL: 's3://chat-files/prod',
        SWITCHBOARD_S3_ENDPOINT: 'https://minio.internal:9000',
        AWS_REGION: 'eu-central-1',
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
        SWITCHBOARD_METRICS_TOKEN: 'scrape-me',
        SWITCHBOARD_METRICS_LOOPBACK: '0',
        SWITCHBOARD_LOG_LEVEL: 'warn',
        SWITCHBOARD_SHUTDOWN_GRACE_SECONDS: '30',
      }),
    );
    assert.equal(config.filesUrl, 's3://chat-files/prod');
    assert.deepEqual(config.s3, {
      endpoint: 'https://minio.internal:9000',
      region: 'eu-central-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
      forcePathStyle: true,
    });
    assert.equal(config.metricsToken, 'scrape-me');
    assert.equal(config.metricsLoopback, false);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.shutdownGraceSeconds, 30);
  });

  it('defaults to local files, AWS addressing without an endpoint, metrics for loopback, info logs and 10 s of grace', () => {
    const config = resolveConfig(configFromEnv({ SWITCHBOARD_S3_FORCE_PATH_STYLE: '0' }));
    assert.equal(config.filesUrl, undefined);
    assert.deepEqual(config.s3, { endpoint: undefined, region: 'us-east-1', credentials: undefined, forcePathStyle: false });
    assert.equal(config.metricsToken, undefined);
    assert.equal(config.metricsLoopback, true);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.shutdownGraceSeconds, 10);
  });

  it('refuses to start with a log level it does not know, naming the ones it does', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-ops-config-'));
    try {
      await assert.rejects(createServer({ ...configFromEnv({ SWITCHBOARD_LOG_LEVEL: 'loud' }), dataDir, logger: quietLogger() }), {
        message: 'the log level must be one of fatal, error, warn, info, debug, trace, silent, not "loud"',
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
