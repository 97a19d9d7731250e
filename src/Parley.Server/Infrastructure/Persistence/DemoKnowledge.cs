namespace Parley.Server.Infrastructure.Persistence;

/// <summary>The demo bot's knowledge base: Parley describing itself, so the first run answers real questions.</summary>
public static class DemoKnowledge
{
    public const string Title = "About Parley";

    public const string Markdown = """
        # About Parley
        Parley is an open, self-hosted chatbot platform for small businesses. It gives you an embeddable website chat widget, a documented REST API, AI answers grounded in your own knowledge base, lead capture, human handoff and webhooks into the tools you already use.

        ## Price and licence
        Parley is free and open source. There is no paid plan, no per-seat price and no usage fee: you run it on your own server and pay only for your hosting.

        ## Installing Parley
        Install the .NET 10 SDK, clone the repository and start the server with dotnet run. Parley starts on http://localhost:5080 with a SQLite database in the data folder, so no database server is needed. The owner API key is written to admin-key.txt in the data folder on first start.

        ## Scaling up
        For more traffic, switch the database to PostgreSQL in the configuration and run several server nodes behind a load balancer. Knowledge search then uses PostgreSQL full-text search.

        ## The chat widget
        Add the widget to your website with one script tag that carries a publishable key. The publishable key only works from the origins you allow, so it is safe to put in a web page. The widget's colours, position and launcher text follow the bot's theme.

        ## Knowledge base
        Teach the bot by adding knowledge sources: plain text, Markdown, HTML, PDF files or a web page URL. The built-in answerer finds the passage that answers a question and cites its source. When it is not sure, it says so and offers to connect the visitor with a person.

        ## Webhooks
        Webhooks send events such as new messages, captured leads, handoff requests and closed conversations to your own URL. Every delivery is signed with the Standard Webhooks scheme and retried with backoff for days if your endpoint is down.

        ## Data export
        You own your data. Export everything, including conversations, messages, leads and events, through the API as NDJSON, CSV or JSON at any time.

        ## Talking to a person
        If the bot cannot help, choose "Talk to a person" and a member of the team takes over the conversation.
        """;
}
