package config

import (
	"encoding/json"
	"errors"
	"strconv"
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

// jsonList is json.Marshal of list, which cannot fail for strings.
func jsonList(list []string) string {
	if list == nil {
		list = []string{}
	}
	b, _ := json.Marshal(list)
	return string(b)
}
