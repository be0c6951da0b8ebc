import EvidentCommands

EvidentMain.run()
