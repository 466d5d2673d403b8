using System;
using System.IO;
using System.Linq;

namespace S3Credentials.HelpBuilder;

/// <summary>
/// S3Credentials.HelpBuilder DOCS_FOLDER MAML_FILE ABOUT_FOLDER: converts DOCS_FOLDER's Verb-Noun.md pages into MAML_FILE
/// and its about_*.md pages into ABOUT_FOLDER/about_*.help.txt. Problems are printed as MSBuild error lines; exit code 1.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine("usage: S3Credentials.HelpBuilder DOCS_FOLDER MAML_FILE ABOUT_FOLDER");
            return 2;
        }
        var (docs, mamlFile, aboutFolder) = (args[0], args[1], args[2]);
        var aboutPages = Directory.GetFiles(docs, "about_*.md").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var commandPages = Directory.GetFiles(docs, "*-*.md").Except(aboutPages).ToList();
        var converter = new MarkdownHelpConverter();
        if (!converter.Write(commandPages, aboutPages, mamlFile, aboutFolder))
        {
            foreach (var error in converter.Errors)
                Console.Error.WriteLine(error);
            return 1;
        }
        Console.WriteLine($"Wrote {commandPages.Count} command(s) to {mamlFile} and {aboutPages.Count} about topic(s) to {aboutFolder}");
        return 0;
    }
}
