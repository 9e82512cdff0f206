/**
 * One data-parallel training replica in a worker thread: its own wasm backend and its own copy of the model, trained
 * on its shard of each batch, with gradients summed through the shared exchange (replicaExchange.ts). Driven by
 * ParallelTrainer over replicaProtocol.ts.
 */
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../backend/selectBackend';
import { createLocalTrainer, type LocalTrainer } from '../createTrainer';
import { tf } from '../tf';
import { ReplicaAbortedError, ReplicaExchange } from './replicaExchange';
import type { ReplicaLink } from './replicaLink';
import type { ReplicaReply, ReplicaRequest, ReplicaStarted, ReplicaStepped } from './replicaProtocol';

let trainer: LocalTrainer | null = null;
let link: ReplicaLink | null = null;

function started(): LocalTrainer {
  if (!trainer) throw new Error('the replica has not started');
  return trainer;
}

async function handle(request: ReplicaRequest): Promise<{ value: unknown; transfer?: ArrayBuffer[] }> {
  switch (request.type) {
    case 'start': {
      await selectBackend({ order: ['wasm'], wasmThreads: request.threads });
      trainer = createLocalTrainer(request.options);
      const variables = trainableVariables();
      const value: ReplicaStarted = {
        parameters: trainer.countParameters(),
        floats: variables.reduce((sum, variable) => sum + variable.size, 0),
        variables: variables.length
      };
      return { value };
    }
    case 'attach': {
      link = { exchange: new ReplicaExchange(request.buffer, request.layout, request.index), shard: { share: 1, labelledCount: 0, rows: { offset: 0, total: 0 } } };
      started().attachReplica(link);
      return { value: null };
    }
    case 'load':
      await started().loadCheckpoint(request.checkpoint);
      return { value: null };
    case 'step': {
      if (!link) throw new Error('the replica is not attached to an exchange');
      link.shard = request.shard;
      const report = await started().trainStep(request.batch, request.plan);
      const value: ReplicaStepped = { report, fingerprint: request.verify ? fingerprintWeights() : null };
      return { value };
    }
    case 'fingerprint':
      return { value: fingerprintWeights() };
    case 'predict': {
      const probabilities = await started().predict(request.images);
      return { value: probabilities, transfer: [probabilities.buffer as ArrayBuffer] };
    }
    case 'save': {
      const checkpoint = await started().saveCheckpoint();
      return { value: checkpoint, transfer: [checkpoint.data] };
    }
  }
}

function trainableVariables() {
  return Object.values(tf.engine().state.registeredVariables).filter((variable) => variable.trainable);
}

/** FNV-1a over the bits of every trainable weight, in registration order (the same in every replica). */
function fingerprintWeights(): number {
  let hash = 0x811c9dc5;
  for (const variable of trainableVariables()) {
    const values = variable.dataSync() as Float32Array;
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < bits.length; i++) hash = Math.imul(hash ^ bits[i]!, 0x01000193);
  }
  return hash >>> 0;
}

parentPort!.on('message', (message: { id: number } & ReplicaRequest) => {
  handle(message).then(
    ({ value, transfer }) => parentPort!.postMessage({ id: message.id, ok: true, value } satisfies ReplicaReply, transfer ?? []),
    (error: unknown) => {
      const aborted = error instanceof ReplicaAbortedError;
      // A replica that fails on its own wakes the others, which would otherwise wait for it forever.
      if (!aborted) link?.exchange.abort();
      const text = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({ id: message.id, ok: false, message: text, aborted } satisfies ReplicaReply);
    }
  );
});
