/**
 * GenSeg's forward paths (docs/genseg.md#forward-paths), in the authors' call order, which fixes the order of
 * spectral-norm power iterations and random draws: f(x_A), f(x_B), g_res(s_A), g_res(s_A, mode 1), g_com(c_A),
 * g_com(c_B), g_res(z_BA), then f(x_BA), f(x_AA), f(x_AB), f(x_BB), and g_com(c_BA) for the cycle.
 */
import { tf, type Tensor4D } from '../tf';
import { runDecoder } from './decoder';
import { runEncoder } from './encoder';
import type { ForwardContext } from './layers/forwardContext';
import type { GenSegNetworks } from './networks';

export interface GeneratorOutputs {
  /** A→B: the healthy translation g_com(c_A). */
  translatedAB: Tensor4D;
  /** x_AA = x_AB + g_res(s_A). */
  reconstructedAA: Tensor4D;
  /** x_BB = g_com(c_B). */
  reconstructedBB: Tensor4D;
  /** B→A: x_BA = x_BB + g_res([c_B, u]). */
  translatedBA: Tensor4D;
  /** x_BAB = g_com(c_BA). */
  cycleBAB: Tensor4D;
  /** Segmentation probabilities g_res(s_A, mode 1), one channel. */
  segmentation: Tensor4D;
  codeA: Tensor4D;
  commonA: Tensor4D;
  commonB: Tensor4D;
  /** z_BA = [c_B, u] with u ~ N(0, 1). */
  codeBA: Tensor4D;
  recodedBA: Tensor4D;
  recodedAA: Tensor4D;
  recodedCommonAB: Tensor4D;
  recodedCommonBB: Tensor4D;
}

export function splitCode(code: Tensor4D, uniqueChannels: number): [Tensor4D, Tensor4D] {
  const common = code.shape[3] - uniqueChannels;
  return tf.split(code, [common, uniqueChannels], 3) as [Tensor4D, Tensor4D];
}

export function runGenerator(
  networks: GenSegNetworks,
  imagesA: Tensor4D,
  imagesB: Tensor4D,
  context: ForwardContext
): GeneratorOutputs {
  const { encoder, decoderCommon, decoderResidual, config } = networks;
  const unique = config.uniqueChannels;
  const encodedA = runEncoder(encoder, imagesA, context);
  const encodedB = runEncoder(encoder, imagesB, context);
  const skipsA = [...encodedA.skips].reverse();
  const skipsB = [...encodedB.skips].reverse();
  const residualA = runDecoder(decoderResidual, encodedA.code, skipsA, 0, context);
  const segmentation = runDecoder(decoderResidual, encodedA.code, skipsA, 1, context);
  const [commonA] = splitCode(encodedA.code, unique);
  const translatedAB = runDecoder(decoderCommon, commonA, skipsA, 0, context);
  const reconstructedAA = tf.add(translatedAB, residualA) as Tensor4D;
  const [commonB] = splitCode(encodedB.code, unique);
  const codeBA = tf.concat([commonB, sampleUniqueCode(networks, imagesB.shape[0], context.batchRows)], 3);
  const reconstructedBB = runDecoder(decoderCommon, commonB, skipsB, 0, context);
  const translatedBA = tf.add(reconstructedBB, runDecoder(decoderResidual, codeBA, skipsB, 0, context)) as Tensor4D;
  const recodedBA = runEncoder(encoder, translatedBA, context);
  const recodedAA = runEncoder(encoder, reconstructedAA, context).code;
  const [recodedCommonAB] = splitCode(runEncoder(encoder, translatedAB, context).code, unique);
  const [recodedCommonBB] = splitCode(runEncoder(encoder, reconstructedBB, context).code, unique);
  const [commonBA] = splitCode(recodedBA.code, unique);
  const cycleBAB = runDecoder(decoderCommon, commonBA, [...recodedBA.skips].reverse(), 0, context);
  return {
    translatedAB,
    reconstructedAA,
    reconstructedBB,
    translatedBA,
    cycleBAB,
    segmentation,
    codeA: encodedA.code,
    commonA,
    commonB,
    codeBA,
    recodedBA: recodedBA.code,
    recodedAA,
    recodedCommonAB,
    recodedCommonBB
  };
}

/**
 * u ~ N(0, 1) of the unique code's shape, drawn from the model's seeded generator. A replica holding rows of a larger
 * batch draws for the whole batch and keeps its rows, so every replica's generator stays in the same state.
 */
function sampleUniqueCode(networks: GenSegNetworks, batchSize: number, rows?: ForwardContext['batchRows']): Tensor4D {
  const [height, width] = networks.config.codeSize;
  const perSample = height * width * networks.config.uniqueChannels;
  const shape: [number, number, number, number] = [batchSize, height, width, networks.config.uniqueChannels];
  const drawn = networks.random.normalArray((rows?.total ?? batchSize) * perSample);
  const offset = (rows?.offset ?? 0) * perSample;
  return tf.tensor4d(drawn.subarray(offset, offset + batchSize * perSample), shape);
}
