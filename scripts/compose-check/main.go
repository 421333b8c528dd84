// Validates a compose file as Docker Compose would: interpolation, then the compose-spec JSON
// schema and the model's own checks (compose-go, the library Docker Compose itself is built on).
// No Docker engine runs on the machines that test Relance.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check docker-compose.yml")
		os.Exit(2)
	}
	path, err := filepath.Abs(os.Args[1])
	if err != nil {
		fail(err)
	}
	options, err := cli.NewProjectOptions([]string{path}, cli.WithOsEnv, cli.WithWorkingDirectory(filepath.Dir(path)))
	if err != nil {
		fail(err)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fail(err)
	}
	fmt.Printf("%s: valid, %d services\n", filepath.Base(path), len(project.Services))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
