import t from 'tap';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { eventStoreContract } from './contract/index.js';

eventStoreContract(t, async () => new MemoryEventStore());
