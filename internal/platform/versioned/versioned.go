// Package versioned keeps values computed from one version of some data (the search index's,
// for instance) and drops them all when a newer version shows up, so that nothing stale is ever
// served and nothing needs purging: at most one value per key of the current version is held.
package versioned

import "sync"

// Cache holds values of type T by key K for one version V. The zero value is ready to use (and
// unbounded) and safe for concurrent use.
type Cache[V comparable, K comparable, T any] struct {
	// Limit bounds the number of values kept (0: no bound): past it, Put keeps nothing more
	// until the version changes, so that a crawler walking every result cannot grow it further.
	Limit int

	mu      sync.Mutex
	version V
	values  map[K]T
}

// Get returns the value of k for version v. A different v empties the cache (a newer version
// arrived; a request still holding an older one finds nothing and computes its value again).
func (c *Cache[V, K, T]) Get(v V, k K) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.values == nil || c.version != v {
		c.version, c.values = v, map[K]T{}
	}
	t, ok := c.values[k]
	return t, ok
}

// Put stores the value of k for version v, unless the cache moved to another version meanwhile
// or is full.
func (c *Cache[V, K, T]) Put(v V, k K, t T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.values != nil && c.version == v && (c.Limit == 0 || len(c.values) < c.Limit) {
		c.values[k] = t
	}
}
