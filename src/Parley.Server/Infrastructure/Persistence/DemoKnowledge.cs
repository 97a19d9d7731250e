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

        ## Installing the chat on your website
        To install the chat widget on your website, paste one line of HTML, a script tag with your Parley server's address and a publishable key, before the closing body tag of your pages. Create the publishable key with the API for one bot and your website's address. The home page of your Parley server shows the script tag ready to copy.

        ## The chat widget
        The publishable key only works from the origins you allow, so it is safe to put in a web page. The widget's colours, position and launcher text follow the bot's theme, and its styles never clash with your site's.

        ## WordPress and other website builders
        Yes, the chat works with WordPress and with any website builder that lets you add a script tag to your pages. There is no plugin to install: paste the widget's script tag into your WordPress theme's footer, or use any plugin that adds code to the footer.

        ## Using your own OpenAI key
        Yes, you can use your own OpenAI API key. Out of the box the bot answers with the built-in answerer, offline and without any API key. To answer with a language model instead, add a model provider connection with your own OpenAI key and choose a model such as gpt-4o-mini. Any OpenAI-compatible service works too (Azure OpenAI, Ollama, vLLM, LM Studio), and so does Anthropic. Your key is encrypted at rest and never shown again.

        ## Human agents taking over
        Yes, a human agent can take over the chat. The conversation goes to a person when the visitor asks for one, when the bot cannot answer several questions and an agent is available, or when your own system asks through the API. Agents answer through the API with an agent key, the visitor sees their replies live in the widget, and the agent can hand the conversation back to the bot when done.

        ## Opening hours
        This demo bot answers questions about Parley at any time of day. A business that runs Parley sets its own opening hours for when its team can take over a chat; outside them the bot asks the visitor for an email address instead.

        ## Knowledge base
        Teach the bot by adding knowledge sources: plain text, Markdown, HTML, PDF files or a web page URL. The built-in answerer finds the passage that answers a question and cites its source. When it is not sure, it says so and offers to connect the visitor with a person.

        ## Webhooks
        Webhooks send events such as new messages, captured leads, handoff requests and closed conversations to your own URL. Every delivery is signed with the Standard Webhooks scheme and retried with backoff for days if your endpoint is down.

        ## Data export
        You own your data. Export everything, including conversations, messages, leads and events, through the API as NDJSON, CSV or JSON at any time.

        ## Talking to a person
        If the bot cannot help, choose "Talk to a person" and a member of the team takes over the conversation when one is available; otherwise leave your email address and the team writes back.
        """;
}
