import CCmarkGFM

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A bump allocator for cmark-gfm, one per thread, for the small bodies that are nearly
/// every file of a check.
///
/// cmark-gfm allocates each node and each growing buffer of a tree on its own and frees
/// them all when the tree is dropped: some sixty mallocs and frees per review, 6 % of a
/// check's CPU time at 10,000 people, most of it in the allocator's slow path, as a
/// freed tree overflows its per-thread cache. Here a tree is carved from one slab that
/// the next body on the same thread reuses: `free` does nothing, and `reset` after the
/// parse (once nothing of the tree is read any more) rewinds the slab. cmark-gfm's own
/// arena is a single global one, which big bodies take in turn (`CmarkArena`).
///
/// cmark's allocator callbacks carry no context, so they find the calling thread's slabs
/// through a pthread key; a thread's slabs are freed when it exits.
enum CmarkThreadArena {
    /// The allocator to give `cmark_parser_new_with_mem`; valid on the calling thread,
    /// until `reset`.
    static var allocator: UnsafeMutablePointer<cmark_mem> { memory }

    /// Drops every tree allocated on this thread: keeps the first slab, rewound, and
    /// frees the others (a big body's tree does not stay in memory).
    static func reset() {
        guard let raw = pthread_getspecific(key) else { return }
        raw.assumingMemoryBound(to: Slabs.self).pointee.reset()
    }

    /// Bytes of a slab; a bigger allocation gets a slab of its own size.
    static let slabBytes = 256 * 1024

    /// Each allocation is a 16-byte header holding its size, then the bytes, rounded up
    /// to 16 so every pointer handed out is aligned for any type.
    private static let headerBytes = 16

    private static func rounded(_ size: Int) -> Int { (size + 15) & ~15 }

    /// One thread's slabs: the newest first, each starting with the address of the
    /// previous one and its own size, in front of its allocations.
    struct Slabs {
        private var newest: UnsafeMutableRawPointer?
        private var first: UnsafeMutableRawPointer?
        /// Bytes of `newest` in use, its 16-byte slab header included.
        private var used = 0
        private var capacity = 0
        /// The last allocation's address, which `reallocate` can grow in place.
        private var last: UnsafeMutableRawPointer?

        mutating func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
            guard size >= 0, size <= Int.max / 2 else { return nil }
            let need = CmarkThreadArena.headerBytes + CmarkThreadArena.rounded(size)
            if newest == nil || used + need > capacity {
                guard addSlab(holding: need) else { return nil }
            }
            guard let newest else { return nil }
            let block = newest + used
            block.storeBytes(of: size, as: Int.self)
            used += need
            let payload = block + CmarkThreadArena.headerBytes
            last = payload
            return payload
        }

        mutating func reallocate(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
            guard let pointer else { return allocate(size) }
            guard size >= 0, size <= Int.max / 2 else { return nil }
            let header = pointer - CmarkThreadArena.headerBytes
            let old = header.load(as: Int.self)
            if pointer == last, let newest {
                // The last allocation grows (or shrinks) where it is when the slab has room.
                let start = newest.distance(to: header)
                let need = CmarkThreadArena.headerBytes + CmarkThreadArena.rounded(size)
                if start + need <= capacity {
                    header.storeBytes(of: size, as: Int.self)
                    used = start + need
                    return pointer
                }
            }
            guard let moved = allocate(size) else { return nil }
            moved.copyMemory(from: pointer, byteCount: min(old, size))
            return moved
        }

        private mutating func addSlab(holding need: Int) -> Bool {
            let bytes = max(CmarkThreadArena.slabBytes, need + CmarkThreadArena.headerBytes)
            guard let slab = malloc(bytes) else { return false }
            slab.storeBytes(of: newest, as: UnsafeMutableRawPointer?.self)
            (slab + 8).storeBytes(of: bytes, as: Int.self)
            if first == nil { first = slab }
            newest = slab
            used = CmarkThreadArena.headerBytes
            capacity = bytes
            last = nil
            return true
        }

        mutating func reset() {
            while let slab = newest, slab != first {
                newest = slab.load(as: UnsafeMutableRawPointer?.self)
                free(slab)
            }
            used = CmarkThreadArena.headerBytes
            capacity = first.map { ($0 + 8).load(as: Int.self) } ?? 0
            last = nil
        }

        /// Frees every slab, when the thread exits.
        mutating func freeAll() {
            while let slab = newest {
                newest = slab.load(as: UnsafeMutableRawPointer?.self)
                free(slab)
            }
            first = nil
            used = 0
            capacity = 0
            last = nil
        }
    }

    /// The calling thread's slabs, made on first use.
    private static func slabs() -> UnsafeMutablePointer<Slabs>? {
        if let raw = pthread_getspecific(key) { return raw.assumingMemoryBound(to: Slabs.self) }
        let made = UnsafeMutablePointer<Slabs>.allocate(capacity: 1)
        made.initialize(to: Slabs())
        guard pthread_setspecific(key, made) == 0 else {
            made.deinitialize(count: 1)
            made.deallocate()
            return nil
        }
        return made
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            let slabs = raw.assumingMemoryBound(to: Slabs.self)
            slabs.pointee.freeAll()
            slabs.deinitialize(count: 1)
            slabs.deallocate()
        }
        precondition(status == 0, "pthread_key_create failed: \(status)")
        return key
    }()

    /// cmark's `calloc`, in this thread's slabs.
    static func zeroedAllocation(_ count: Int, _ size: Int) -> UnsafeMutableRawPointer? {
        let (total, overflow) = count.multipliedReportingOverflow(by: size)
        guard !overflow, let slabs = slabs(), let pointer = slabs.pointee.allocate(total) else { return nil }
        memset(pointer, 0, total)
        return pointer
    }

    /// cmark's `realloc`, in this thread's slabs.
    static func reallocation(_ pointer: UnsafeMutableRawPointer?, _ size: Int) -> UnsafeMutableRawPointer? {
        slabs()?.pointee.reallocate(pointer, size)
    }

    private nonisolated(unsafe) static let memory: UnsafeMutablePointer<cmark_mem> = {
        let memory = UnsafeMutablePointer<cmark_mem>.allocate(capacity: 1)
        memory.initialize(
            to: cmark_mem(
                calloc: { CmarkThreadArena.zeroedAllocation($0, $1) },
                realloc: { CmarkThreadArena.reallocation($0, $1) },
                free: { _ in }))
        return memory
    }()
}
