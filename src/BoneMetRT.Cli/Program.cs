using BoneMetRT.Cli;

// bonemetrt: the $assess pipeline of the service, from the command line (for testers and scripts).
return CliApp.Run(args, Console.In, Console.Out, Console.Error);
