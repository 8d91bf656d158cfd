package config

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

var (
	errWantString = errors.New("want a string")
	errWantList   = errors.New("want a list of strings")
	errWantBool   = errors.New("want true or false")
	errWantTime   = errors.New(`want a duration such as "30s" or "2m", or a number of seconds`)
)

// durationKey is the one key whose value is a duration.
const durationKey = "timeout"

// wireValue converts a decoded TOML value of key to its wire form. A list
// key also accepts a single string; a key starting with XPrefix accepts a
// list too.
func wireValue(key string, v any) (string, error) {
	spec, known := Lookup(key)
	_, isList := v.([]any)
	switch {
	case spec.List, !known && isList:
		return listValue(v)
	case spec.Bool:
		return boolValue(v)
	case key == durationKey:
		return durationValue(v)
	}
	return scalarValue(v)
}

// durationValue accepts a positive Go duration ("45s") or a positive
// whole number of seconds, as a number or a string.
func durationValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		if d, err := time.ParseDuration(v); err == nil && d > 0 {
			return v, nil
		}
		if n, err := strconv.ParseUint(v, 10, 32); err == nil && n > 0 {
			return v, nil
		}
	case int64:
		if v > 0 && v <= 1<<32-1 {
			return strconv.FormatInt(v, 10), nil
		}
	}
	return "", errWantTime
}

// scalarValue accepts a string, a boolean or an integer.
func scalarValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case bool:
		return strconv.FormatBool(v), nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	}
	return "", errWantString
}

// boolValue accepts a boolean or a string strconv.ParseBool accepts.
func boolValue(v any) (string, error) {
	switch v := v.(type) {
	case bool:
		return strconv.FormatBool(v), nil
	case string:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return "", errWantBool
		}
		return strconv.FormatBool(b), nil
	}
	return "", errWantBool
}

// listValue accepts an array of strings, or one string, and returns its
// JSON array text.
func listValue(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return jsonList([]string{v}), nil
	case []any:
		list := make([]string, len(v))
		for i, e := range v {
			s, ok := e.(string)
			if !ok {
				return "", errWantList
			}
			list[i] = s
		}
		return jsonList(list), nil
	}
	return "", errWantList
}

// jsonList is json.Marshal of list, which cannot fail for strings. Lists
// of plain printable ASCII, which json.Marshal only quotes, are written
// directly: a file of many profiles holds many lists.
func jsonList(list []string) string {
	if list == nil {
		list = []string{}
	}
	if !plainStrings(list) {
		b, _ := json.Marshal(list)
		return string(b)
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, s := range list {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}

// plainStrings reports whether every string of list is printable ASCII
// that json.Marshal does not escape (no quote, backslash, <, > or &).
func plainStrings(list []string) bool {
	for _, s := range list {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c > 0x7e || strings.IndexByte(`"\<>&`, c) >= 0 {
				return false
			}
		}
	}
	return true
}
