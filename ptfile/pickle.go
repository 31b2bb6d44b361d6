package ptfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// ErrPickle reports a pickle this package does not accept: a corrupted one, or one that asks
// for anything but tensors and plain containers.
var ErrPickle = errors.New("ptfile: unsupported or corrupted pickle")

// maxMemo bounds the pickle's memo, whose indexes the file chooses, and maxStack its stack:
// torch.save of a state_dict keeps at most a few thousand values on it (SETITEMS in batches of
// 1000).
const (
	maxMemo  = 1 << 20
	maxStack = 2*1000 + 64
)

// What the pickle machine may allocate: spent counts an upper estimate of the bytes of each
// value it makes (a slot, a string, a tuple, a dict entry, with the growth of their slices),
// and the pickle is refused past spendPerByte × its length + slack. torch.save's pickles of
// state_dicts spend about 20 per byte by this count (TestSpendOfRealPickles); a crafted pickle
// (a million empty strings appended to a dict) is stopped at the limit, so that reading a .pt
// file allocates at most a few tens of times its pickle's size (TestCraftedPickleMemory), and
// the pickle is small beside the storages.
const (
	spendPerByte = 28
	spendSlack   = 64 << 10
)

type global struct{ module, name string }

type mark struct{}

// dict is an ordered dictionary (a pickled dict or OrderedDict).
type dict struct {
	keys, vals []any
}

// storageRef is a persistent reference to a storage member of the archive.
type storageRef struct {
	dtype string // "F32", "F64", ... as in storageTypes
	key   string
	numel int64
}

// tensorRef is a tensor rebuilt by _rebuild_tensor_v2: a strided view of a storage.
type tensorRef struct {
	storage *storageRef
	offset  int64
	size    []int64
	stride  []int64
}

// storageTypes maps torch's storage classes to a dtype name and element size.
var storageTypes = map[string]struct {
	dtype string
	size  int
}{
	"DoubleStorage": {"F64", 8}, "FloatStorage": {"F32", 4}, "HalfStorage": {"F16", 2}, "BFloat16Storage": {"BF16", 2},
	"LongStorage": {"I64", 8}, "IntStorage": {"I32", 4}, "ShortStorage": {"I16", 2}, "CharStorage": {"I8", 1},
	"ByteStorage": {"U8", 1}, "BoolStorage": {"BOOL", 1},
}

func pickleErr(pos int, format string, args ...any) error {
	return fmt.Errorf("%w: at byte %d: %s", ErrPickle, pos, fmt.Sprintf(format, args...))
}

// unpickle runs the pickle p and returns its result.
func unpickle(p []byte) (any, error) {
	stack := make([]any, 0, maxStack+1) // never grows
	marks := make([]int, 0, maxStack+1)
	var memo []any // Python's pickler numbers memo entries 0, 1, 2, ...
	pos := 0
	spent, limit := 0, spendPerByte*len(p)+spendSlack
	defer func() { lastSpend = float64(spent) / float64(max(1, len(p))) }()
	spend := func(n int) error {
		if spent += n; spent > limit {
			return pickleErr(pos, "the pickle builds more values than its %d bytes justify", len(p))
		}
		return nil
	}
	need := func(n int) ([]byte, error) {
		if n < 0 || pos+n > len(p) {
			return nil, pickleErr(pos, "truncated")
		}
		b := p[pos : pos+n]
		pos += n
		return b, nil
	}
	pop := func() (any, error) {
		if len(stack) == 0 || len(marks) > 0 && len(stack) == marks[len(marks)-1] {
			return nil, pickleErr(pos, "stack underflow")
		}
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		return v, nil
	}
	popMark := func() ([]any, error) {
		if len(marks) == 0 {
			return nil, pickleErr(pos, "no mark")
		}
		m := marks[len(marks)-1]
		marks = marks[:len(marks)-1]
		if err := spend(32 + 24*(len(stack)-m)); err != nil {
			return nil, err
		}
		items := append([]any(nil), stack[m:]...)
		stack = stack[:m]
		return items, nil
	}
	// uarg reads an opcode's unsigned little-endian argument: 4 bytes if wide, 1 otherwise.
	uarg := func(wide bool) (int64, error) {
		if wide {
			b, err := need(4)
			if err != nil {
				return 0, err
			}
			return int64(binary.LittleEndian.Uint32(b)), nil
		}
		b, err := need(1)
		if err != nil {
			return 0, err
		}
		return int64(b[0]), nil
	}
	line := func() (string, error) {
		for i := pos; i < len(p); i++ {
			if p[i] == '\n' {
				s := string(p[pos:i])
				pos = i + 1
				return s, nil
			}
		}
		return "", pickleErr(pos, "unterminated line")
	}
	for pos < len(p) {
		op := p[pos]
		at := pos
		if len(stack) > maxStack || len(marks) > maxStack {
			return nil, pickleErr(at, "more than %d values on the stack", maxStack)
		}
		switch op { // the opcodes that make a value of their own (strings and tuples are charged below)
		case ']', '}', 'J', 0x8a, 'G', 'c', 'Q', 'R', 0x85, 0x86, 0x87:
			if err := spend(64 + 24*max(0, int(op)-0x84)); err != nil { // TUPLEn: n slots more
				return nil, err
			}
		}
		pos++
		switch op {
		case 0x80: // PROTO
			if _, err := need(1); err != nil {
				return nil, err
			}
		case '.': // STOP
			if len(stack) != 1 || len(marks) != 0 {
				return nil, pickleErr(at, "STOP with %d values on the stack", len(stack))
			}
			return stack[0], nil
		case 'c': // GLOBAL
			mod, err := line()
			if err != nil {
				return nil, err
			}
			name, err := line()
			if err != nil {
				return nil, err
			}
			_, isStorage := storageTypes[name]
			switch {
			case mod == "collections" && name == "OrderedDict",
				mod == "torch._utils" && name == "_rebuild_tensor_v2",
				mod == "torch" && isStorage:
			default:
				return nil, pickleErr(at, "global %.60s.%.60s is not a tensor or a plain container; refused", mod, name)
			}
			stack = append(stack, global{mod, name})
		case '(': // MARK
			marks = append(marks, len(stack))
		case ')': // EMPTY_TUPLE
			stack = append(stack, []any{})
		case ']': // EMPTY_LIST
			stack = append(stack, &[]any{})
		case '}': // EMPTY_DICT
			stack = append(stack, &dict{})
		case 'N':
			stack = append(stack, nil)
		case 0x88, 0x89: // NEWTRUE, NEWFALSE
			stack = append(stack, op == 0x88)
		case 'K': // BININT1
			b, err := need(1)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(b[0]))
		case 'M': // BININT2
			b, err := need(2)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(binary.LittleEndian.Uint16(b)))
		case 'J': // BININT
			b, err := need(4)
			if err != nil {
				return nil, err
			}
			stack = append(stack, int64(int32(binary.LittleEndian.Uint32(b))))
		case 0x8a: // LONG1
			b, err := need(1)
			if err != nil {
				return nil, err
			}
			if b[0] > 8 {
				return nil, pickleErr(at, "integer of %d bytes", b[0])
			}
			d, err := need(int(b[0]))
			if err != nil {
				return nil, err
			}
			var v uint64
			for i := len(d) - 1; i >= 0; i-- {
				v = v<<8 | uint64(d[i])
			}
			if n := len(d); n > 0 && n < 8 && d[n-1]&0x80 != 0 {
				v -= 1 << (8 * n) // two's complement of n bytes
			}
			stack = append(stack, int64(v))
		case 'G': // BINFLOAT
			b, err := need(8)
			if err != nil {
				return nil, err
			}
			stack = append(stack, math.Float64frombits(binary.BigEndian.Uint64(b)))
		case 'X', 0x8c: // BINUNICODE, SHORT_BINUNICODE
			n64, err := uarg(op == 'X')
			if err != nil {
				return nil, err
			}
			n := int(n64) // negative, and refused by need, where int has 32 bits and n64 not
			s, err := need(n)
			if err != nil {
				return nil, err
			}
			if err := spend(24 + n); err != nil {
				return nil, err
			}
			stack = append(stack, string(s))
		case 'q', 'r': // BINPUT, LONG_BINPUT
			idx, err := uarg(op == 'r')
			if err != nil {
				return nil, err
			}
			if len(stack) == 0 {
				return nil, pickleErr(at, "PUT on an empty stack")
			}
			switch {
			case idx < int64(len(memo)):
				memo[idx] = stack[len(stack)-1]
			case idx > int64(len(memo)) || len(memo) == maxMemo:
				return nil, pickleErr(at, "memo index %d out of sequence (%d so far, at most %d)", idx, len(memo), maxMemo)
			default:
				if err := spend(64); err != nil { // a slot, with the slice's growth by doubling
					return nil, err
				}
				memo = grow(memo, stack[len(stack)-1])
			}
		case 'h', 'j': // BINGET, LONG_BINGET
			idx, err := uarg(op == 'j')
			if err != nil {
				return nil, err
			}
			if idx >= int64(len(memo)) {
				return nil, pickleErr(at, "GET of memo %d, never PUT", idx)
			}
			stack = append(stack, memo[idx])
		case 't': // TUPLE
			items, err := popMark()
			if err != nil {
				return nil, err
			}
			stack = append(stack, items)
		case 0x85, 0x86, 0x87: // TUPLE1, TUPLE2, TUPLE3
			n := int(op - 0x84)
			items := make([]any, n)
			for i := n - 1; i >= 0; i-- {
				v, err := pop()
				if err != nil {
					return nil, err
				}
				items[i] = v
			}
			stack = append(stack, items)
		case 'a', 'e': // APPEND, APPENDS
			var items []any
			if op == 'a' {
				v, err := pop()
				if err != nil {
					return nil, err
				}
				items = []any{v}
			} else {
				var err error
				if items, err = popMark(); err != nil {
					return nil, err
				}
			}
			if len(stack) == 0 {
				return nil, pickleErr(at, "APPEND without a list")
			}
			l, ok := stack[len(stack)-1].(*[]any)
			if !ok {
				return nil, pickleErr(at, "APPEND to a %T", stack[len(stack)-1])
			}
			if err := spend(80 * len(items)); err != nil {
				return nil, err
			}
			for _, v := range items {
				*l = grow(*l, v)
			}
		case 's', 'u': // SETITEM, SETITEMS
			var items []any
			if op == 's' {
				v, err := pop()
				if err != nil {
					return nil, err
				}
				k, err := pop()
				if err != nil {
					return nil, err
				}
				items = []any{k, v}
			} else {
				var err error
				if items, err = popMark(); err != nil {
					return nil, err
				}
			}
			if len(stack) == 0 || len(items)%2 != 0 {
				return nil, pickleErr(at, "SETITEMS without a dict or with an odd number of items")
			}
			d, ok := stack[len(stack)-1].(*dict)
			if !ok {
				return nil, pickleErr(at, "SETITEM on a %T", stack[len(stack)-1])
			}
			if err := spend(80 * len(items)); err != nil { // a slot with growth by doubling, and items
				return nil, err
			}
			for i := 0; i < len(items); i += 2 {
				d.keys = grow(d.keys, items[i])
				d.vals = grow(d.vals, items[i+1])
			}
		case 'Q': // BINPERSID
			pid, err := pop()
			if err != nil {
				return nil, err
			}
			s, err := persistent(pid)
			if err != nil {
				return nil, pickleErr(at, "%v", err)
			}
			stack = append(stack, s)
		case 'R': // REDUCE
			args, err := pop()
			if err != nil {
				return nil, err
			}
			fn, err := pop()
			if err != nil {
				return nil, err
			}
			v, err := reduce(fn, args)
			if err != nil {
				return nil, pickleErr(at, "%v", err)
			}
			stack = append(stack, v)
		case 'b': // BUILD: only an OrderedDict's attributes (state_dict's _metadata), ignored
			if _, err := pop(); err != nil {
				return nil, err
			}
			if len(stack) == 0 {
				return nil, pickleErr(at, "BUILD without an object")
			}
			if _, ok := stack[len(stack)-1].(*dict); !ok {
				return nil, pickleErr(at, "BUILD of a %T", stack[len(stack)-1])
			}
		default:
			return nil, pickleErr(at, "opcode %#02x is not one torch.save writes for a state_dict", op)
		}
	}
	return nil, pickleErr(pos, "no STOP")
}

// persistent resolves a persistent id ('storage', StorageType, key, location, numel).
func persistent(pid any) (*storageRef, error) {
	t, ok := pid.([]any)
	if !ok || len(t) != 5 || t[0] != "storage" {
		return nil, fmt.Errorf("persistent id %v is not a storage", pid)
	}
	g, ok1 := t[1].(global)
	key, ok2 := t[2].(string)
	numel, ok3 := t[4].(int64)
	st, ok4 := storageTypes[g.name]
	if !ok1 || !ok2 || !ok3 || !ok4 || numel < 0 {
		return nil, fmt.Errorf("storage id %v is malformed", pid)
	}
	return &storageRef{dtype: st.dtype, key: key, numel: numel}, nil
}

// reduce applies one of the accepted globals to args.
func reduce(fn, args any) (any, error) {
	g, ok := fn.(global)
	a, ok2 := args.([]any)
	if !ok || !ok2 {
		return nil, fmt.Errorf("REDUCE of a %T with %T", fn, args)
	}
	switch g.name {
	case "OrderedDict":
		if len(a) != 0 {
			return nil, fmt.Errorf("OrderedDict with arguments")
		}
		return &dict{}, nil
	case "_rebuild_tensor_v2":
		if len(a) < 4 {
			return nil, fmt.Errorf("_rebuild_tensor_v2 with %d arguments", len(a))
		}
		s, ok1 := a[0].(*storageRef)
		off, ok2 := a[1].(int64)
		size, ok3 := ints(a[2])
		stride, ok4 := ints(a[3])
		if !ok1 || !ok2 || !ok3 || !ok4 || len(size) != len(stride) || off < 0 {
			return nil, fmt.Errorf("_rebuild_tensor_v2 with malformed arguments")
		}
		return &tensorRef{storage: s, offset: off, size: size, stride: stride}, nil
	}
	return nil, fmt.Errorf("%s.%s cannot be called", g.module, g.name)
}

func ints(v any) ([]int64, bool) {
	t, ok := v.([]any)
	if !ok {
		return nil, false
	}
	out := make([]int64, len(t))
	for i, x := range t {
		if out[i], ok = x.(int64); !ok {
			return nil, false
		}
	}
	return out, true
}

// lastSpend is the spend per pickle byte of the last unpickle, for tests.
var lastSpend float64

// grow appends v to s, doubling the capacity when it is full: append grows large slices by a
// quarter at a time, which allocates five times the final size in all; doubling, twice.
func grow(s []any, v any) []any {
	if len(s) == cap(s) {
		t := make([]any, len(s), max(16, 2*cap(s)))
		copy(t, s)
		s = t
	}
	return append(s, v)
}
