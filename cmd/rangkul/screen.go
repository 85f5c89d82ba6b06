package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/rangkul/rangkul/internal/safety"
)

// screen reads messages one per line on stdin and writes one JSON screening
// result per line, so a safety lead can try phrases from a terminal:
//
//	echo "pengen mati aja" | rangkul screen
//	{"level":"crisis","reasons":["ideation"],"language":"id"}
//
// Nothing is stored and nobody is alerted; it needs no database.
func screen(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: rangkul screen < messages.txt\n\nReads one message per line; prints one JSON object per line:\n"+
			`{"level": "none" | "concern" | "crisis", "reasons": [...], "language": "id" | "en" | "mix"}`)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("screen takes no arguments, only lines on standard input")
	}
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 1024*1024)
	out := bufio.NewWriter(stdout)
	enc := json.NewEncoder(out)
	for in.Scan() {
		if err := enc.Encode(safety.Screen(in.Text())); err != nil {
			return err
		}
	}
	if err := in.Err(); err != nil {
		return fmt.Errorf("screen: reading standard input: %w", err)
	}
	return out.Flush()
}
