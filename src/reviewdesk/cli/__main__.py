from reviewdesk.cli.main import main

main()
