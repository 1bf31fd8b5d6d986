package bench

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SumMetric returns the sum of every sample of the metric called name in a Prometheus text
// exposition (what an API server's /metrics serves) and how many samples there were. Samples of
// other metrics, including ones whose name merely starts with name (name_bucket, name_created),
// are ignored.
func SumMetric(r io.Reader, name string) (sum float64, samples int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || text[0] == '#' {
			continue
		}
		metric, value, err := parseSample(text)
		if err != nil {
			return 0, 0, fmt.Errorf("line %d: %w", line, err)
		}
		if metric != name {
			continue
		}
		sum += value
		samples++
	}
	if err := sc.Err(); err != nil {
		return 0, 0, err
	}
	return sum, samples, nil
}

// parseSample splits `name{label="v",...} value [timestamp]` into the name and the value. Label
// values may hold spaces, braces and escaped quotes, so the label set is scanned, not split.
func parseSample(line string) (string, float64, error) {
	end := strings.IndexAny(line, "{ \t")
	if end <= 0 {
		return "", 0, fmt.Errorf("no value in %q", line)
	}
	name, rest := line[:end], line[end:]
	if rest[0] == '{' {
		closing, err := labelsEnd(rest)
		if err != nil {
			return "", 0, fmt.Errorf("%w in %q", err, line)
		}
		rest = rest[closing+1:]
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 || len(fields) > 2 {
		return "", 0, fmt.Errorf("want a value and an optional timestamp after the labels in %q", line)
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return "", 0, fmt.Errorf("value of %s: %w", name, err)
	}
	return name, v, nil
}

// labelsEnd returns the index of the '}' closing the label set that s starts with.
func labelsEnd(s string) (int, error) {
	inQuote := false
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case inQuote && c == '\\':
			i++ // skip the escaped character (\" \\ \n)
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '}':
			return i, nil
		}
	}
	return 0, fmt.Errorf("unterminated label set")
}
