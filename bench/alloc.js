/*
|--------------------------------------------------------------------------
| Allocation per request (preloaded into every server: node -r bench/alloc.js)
|--------------------------------------------------------------------------
|
| The bytes a server allocates on V8's heap between two messages of the
| bench (over the IPC channel that bench/processes.js opens): 'alloc:start'
| and 'alloc:stop', answered with `{ allocatedBytes, gcs, majorGcs }`: the
| bytes, the collections, and how many of those were mark-compacts (a
| request object that lives into the old generation makes them run under load).
|
| V8 has no running total of allocated bytes, but nothing leaves the heap
| except through a collection, so what was allocated over a window is what
| the used heap grew by between collections:
|
|   (before[1] - used at start) + sum of (before[i] - after[i-1]) + (used at end - after[n])
|
| with `before`/`after` the used heap size around each collection, which
| v8.GCProfiler records to the byte. It counts every space (new, old, large
| objects, code); it does not count Buffers' memory outside the heap.
|
*/

const v8 = require('node:v8')
const { writeFileSync } = require('node:fs')

/**
 * With BENCH_HEAP_SAMPLES=<file> (bench/probe.js --heap), the same window
 * also runs V8's sampling heap profiler, counting objects that the
 * collectors have freed too, and writes its profile to that file: which
 * functions allocate the bytes.
 */
const samplesFile = process.env.BENCH_HEAP_SAMPLES
let inspector = null
if (samplesFile) {
  const { Session } = require('node:inspector')
  inspector = new Session()
  inspector.connect()
}

function heapSampling(start) {
  if (!inspector) return
  if (start) {
    inspector.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    })
  } else {
    inspector.post('HeapProfiler.stopSampling', (error, result) => {
      if (!error) writeFileSync(samplesFile, JSON.stringify(result.profile))
    })
  }
}

function usedHeap() {
  return v8.getHeapStatistics().used_heap_size
}

if (process.send) {
  let profiler = null
  let usedAtStart = 0

  process.on('message', (message) => {
    if (message === 'alloc:start') {
      profiler = new v8.GCProfiler()
      usedAtStart = usedHeap()
      profiler.start()
      heapSampling(true)
    } else if (message === 'alloc:stop' && profiler) {
      heapSampling(false)
      const usedAtEnd = usedHeap()
      const { statistics } = profiler.stop()
      profiler = null
      let allocated = 0
      let last = usedAtStart
      for (const gc of statistics) {
        allocated += gc.beforeGC.heapStatistics.usedHeapSize - last
        last = gc.afterGC.heapStatistics.usedHeapSize
      }
      allocated += usedAtEnd - last
      const majorGcs = statistics.filter((gc) => gc.gcType === 'MarkSweepCompact').length
      process.send({ allocatedBytes: allocated, gcs: statistics.length, majorGcs })
    }
  })
  // The channel must not keep a server alive once it closes.
  process.channel.unref()
}
