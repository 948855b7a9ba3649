export type { Header, Headers, StreamRecord, RecordMetadata } from './record.ts';
export type { Change } from './change.ts';
export type { PunctuationType, Punctuator, Cancellable } from './punctuation.ts';
export type { ProcessorContext } from './processor-context.ts';
export type { Processor, ProcessorSupplier } from './processor.ts';
export type { RecordCollector } from './record-collector.ts';
export type {
  StoreSpec,
  SourceNodeSpec,
  ProcessorNodeSpec,
  SinkNodeSpec,
  NodeSpec,
  SubtopologySpec,
} from './subtopology-spec.ts';
export {
  createTask,
  type Task,
  type TaskOptions,
  type TaskState,
  type SourceRecord,
  type StoreFactory,
} from './task.ts';
