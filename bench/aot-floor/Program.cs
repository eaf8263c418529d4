// Prints a version line, as `apkgen --version` does, and nothing else.
Console.Out.Write("0.1.0\n");
