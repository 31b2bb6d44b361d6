package autograd

// scanKeys is the number of keys a keyIndex finds by a linear scan before it builds a map: a
// small network's few parameters are found faster by comparing pointers than by hashing.
const scanKeys = 16

// keyIndex numbers distinct keys in order of arrival.
type keyIndex[K comparable] struct {
	keys []K
	m    map[K]int32 // every key, once there are more than scanKeys
}

// find returns k's number, if k has one.
func (x *keyIndex[K]) find(k K) (int32, bool) {
	if len(x.keys) > scanKeys {
		i, ok := x.m[k]
		return i, ok
	}
	for i, key := range x.keys {
		if key == k {
			return int32(i), true
		}
	}
	return 0, false
}

// add numbers k, which must not have a number yet, and returns its number.
func (x *keyIndex[K]) add(k K) int32 {
	i := int32(len(x.keys))
	x.keys = append(x.keys, k)
	if len(x.keys) > scanKeys {
		if x.m == nil {
			x.m = make(map[K]int32)
		}
		for j := len(x.m); j < len(x.keys); j++ { // the map holds the first len(x.m) keys
			x.m[x.keys[j]] = int32(j)
		}
	}
	return i
}

// reset forgets every key, keeping the memory.
func (x *keyIndex[K]) reset() {
	clear(x.keys)
	x.keys = x.keys[:0]
	clearMap(x.m)
}
