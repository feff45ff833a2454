package versioned

import (
	"fmt"
	"sync"
	"testing"
)

func TestCache_KeepsTheValuesOfOneVersion(t *testing.T) {
	var c Cache[int, string, string]
	if _, ok := c.Get(1, "a"); ok {
		t.Fatal("empty cache holds a value")
	}
	c.Put(1, "a", "A1")
	if v, ok := c.Get(1, "a"); !ok || v != "A1" {
		t.Fatalf("Get(1, a) = %q, %v", v, ok)
	}
	if _, ok := c.Get(2, "a"); ok {
		t.Fatal("version 2 sees a value of version 1")
	}
	c.Put(1, "b", "B1") // computed from version 1, arriving after version 2: dropped
	if _, ok := c.Get(2, "b"); ok {
		t.Fatal("a late value of version 1 was kept for version 2")
	}
	c.Put(2, "b", "B2")
	if v, _ := c.Get(2, "b"); v != "B2" {
		t.Fatalf("Get(2, b) = %q", v)
	}
}

func TestCache_KeepsNoMoreThanItsLimit(t *testing.T) {
	c := Cache[int, int, int]{Limit: 2}
	for k := range 3 {
		c.Put(1, k, k) // the first Put of a version finds no map yet: Get makes it
		c.Get(1, k)
		c.Put(1, k, k)
	}
	if _, ok := c.Get(1, 2); ok {
		t.Error("a third value was kept past the limit")
	}
	if v, ok := c.Get(1, 1); !ok || v != 1 {
		t.Errorf("Get(1, 1) = %d, %v", v, ok)
	}
	c.Get(2, 0)
	c.Put(2, 5, 5)
	if _, ok := c.Get(2, 5); !ok {
		t.Error("a new version starts empty")
	}
}

func TestCache_IsSafeForConcurrentUseAndNeverMixesVersions(t *testing.T) {
	var c Cache[int, int, int]
	value := func(version, key int) int { return version*100 + key } // what each (version, key) holds
	const goroutines, versions = 8, 10
	var wg sync.WaitGroup
	errs := make(chan string, goroutines)
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				v := i / (1000 / versions)
				if got, ok := c.Get(v, g); !ok {
					c.Put(v, g, value(v, g))
				} else if got != value(v, g) {
					errs <- fmt.Sprintf("Get(%d, %d) = %d, a value of another version or key", v, g, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// The last version is the cache's: the goroutine that moved it there last kept its value.
	held := 0
	for g := range goroutines {
		if got, ok := c.Get(versions-1, g); ok {
			held++
			if got != value(versions-1, g) {
				t.Errorf("after the run, Get(%d, %d) = %d", versions-1, g, got)
			}
		}
	}
	if held == 0 {
		t.Error("no value of the last version is held")
	}
}
