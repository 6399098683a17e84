using System.CommandLine;

var root = new RootCommand("ImagingValue: find low-value imaging, prove it with data, stop it at the point of order.");
return await root.Parse(args).InvokeAsync();
