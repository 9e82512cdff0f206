import { Database } from './Database';
import { migrate } from './migrate';
import { MaskRepository } from './repositories/MaskRepository';
import { ModelVersionRepository } from './repositories/ModelVersionRepository';
import { ProposalRepository } from './repositories/ProposalRepository';
import { SequenceRepository } from './repositories/SequenceRepository';
import { SettingsRepository } from './repositories/SettingsRepository';
import { SliceLabelRepository } from './repositories/SliceLabelRepository';
import { TrainingRunRepository } from './repositories/TrainingRunRepository';
import { VolumeRepository } from './repositories/VolumeRepository';

/**
 * The project store: one SQLite file with one repository per table family. Domains receive this object (or one of its
 * repositories), never the database handle, so another store can stand in for it later.
 */
export class ProjectStore {
  readonly volumes: VolumeRepository;
  readonly sliceLabels: SliceLabelRepository;
  readonly masks: MaskRepository;
  readonly trainingRuns: TrainingRunRepository;
  readonly modelVersions: ModelVersionRepository;
  readonly proposals: ProposalRepository;
  readonly sequences: SequenceRepository;
  readonly settings: SettingsRepository;

  private constructor(readonly database: Database) {
    this.volumes = new VolumeRepository(database);
    this.sliceLabels = new SliceLabelRepository(database);
    this.masks = new MaskRepository(database);
    this.trainingRuns = new TrainingRunRepository(database);
    this.modelVersions = new ModelVersionRepository(database);
    this.proposals = new ProposalRepository(database);
    this.sequences = new SequenceRepository(database);
    this.settings = new SettingsRepository(database);
  }

  static async open(databasePath: string): Promise<ProjectStore> {
    const database = await Database.open(databasePath);
    try {
      await migrate(database);
    } catch (error) {
      await database.close();
      throw error;
    }
    return new ProjectStore(database);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
